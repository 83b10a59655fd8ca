/** Turns a decoded file into its results line: scoring happens here, on the main thread. */
import { presets, processWords } from '@eou/wer';
import type { ChunkLayout } from './chunkLayout';
import type { DecodedFile } from './fileDecoder';
import type { ManifestEntry } from './manifest';
import type { FileResult, VariantFileResult } from './resultsLog';
import type { GateSettings } from './settings';
import type { SpeechTruth } from './speechTruth';

/** What the gate knows about a file beyond its text, for EOU timing. */
export interface FileFacts {
  readonly speech?: SpeechTruth;
  /** The stream's chunking (from the manifest), or a function giving the default for a frame count. */
  readonly chunking?: ChunkLayout | ((frames: number) => ChunkLayout);
}

/**
 * The results line of manifest entry `entry` (at manifest position `index`) from its decode by every
 * variant: each variant's tokens, text, S/D/I against the reference text and whether its tokens differ
 * from the reference variant's. An undecodable file keeps its reason.
 */
export function toFileResult(
  entry: ManifestEntry,
  index: number,
  decoded: DecodedFile,
  settings: Pick<GateSettings, 'reference' | 'normalizer'>,
  facts: FileFacts = {},
): FileResult {
  const normalizer = presets[settings.normalizer];
  const base = {
    kind: 'file' as const,
    id: entry.id,
    index,
    reference: entry.text,
    words: normalizer(entry.text).length,
  };
  const duration = typeof entry.extra.duration === 'number' ? { durationSec: entry.extra.duration } : {};
  if (!decoded.ok)
    return { ...base, ...duration, status: 'error', reason: decoded.reason, frames: 0, variants: {} };
  const chunking = typeof facts.chunking === 'function' ? facts.chunking(decoded.frames) : facts.chunking;
  const eou = {
    ...(facts.speech === undefined ? {} : { speech: facts.speech }),
    ...(chunking === undefined ? {} : { chunking }),
  };
  const refTokens = decoded.variants[settings.reference]!.tokens;
  const variants: Record<string, VariantFileResult> = {};
  for (const [name, v] of Object.entries(decoded.variants)) {
    const c = processWords(entry.text, v.text, { normalizer });
    variants[name] = {
      tokens: v.tokens,
      text: v.text,
      errors: c.errors,
      substitutions: c.substitutions,
      deletions: c.deletions,
      insertions: c.insertions,
      seqDiff: v.tokens.length !== refTokens.length || v.tokens.some((t, i) => t !== refTokens[i]),
      decodeMs: Math.round(v.decodeMs * 1000) / 1000,
      eouFrames: v.eouFrames,
      tokenFrames: v.tokenFrames,
      steps: v.steps,
    };
  }
  return { ...base, ...duration, ...eou, status: 'ok', frames: decoded.frames, variants };
}

/**
 * What a corpus manifest line says beyond `id`, `text` and `frames`: the stream's chunking, where its
 * speech ends, and (for a corpus made by `eou encode`) why its audio could not be encoded. A
 * malformed value makes the file a failed one with a reason naming the line and field, like a
 * missing `frames`; the run goes on.
 */
import { parseChunkLayout, type ChunkLayout } from './chunkLayout';
import type { ManifestEntry } from './manifest';
import { speechTruthOf, type SpeechTruth } from './speechTruth';

/** The extra facts of an entry, or why the entry cannot be decoded. */
export interface EntryFacts {
  readonly problem?: string;
  readonly speech?: SpeechTruth;
  readonly chunking?: ChunkLayout;
}

/** Reads `chunking`, `speech_end` / `utterances` and `encode_error` of a manifest entry. */
export function entryFacts(entry: ManifestEntry, manifestFile: string): EntryFacts {
  const where = `${manifestFile} line ${entry.line}`;
  const encodeError = entry.extra['encode_error'];
  if (encodeError !== undefined)
    return {
      problem:
        typeof encodeError === 'string'
          ? encodeError
          : `${where}: \`encode_error\` must be a string, got ${JSON.stringify(encodeError)}`,
    };
  if (entry.problem !== undefined) return { problem: entry.problem };
  const speech = speechTruthOf(entry.extra);
  if (typeof speech === 'string') return { problem: `${where}: ${speech}` };
  let chunking: ChunkLayout | undefined;
  if (entry.extra['chunking'] !== undefined) {
    const c = parseChunkLayout(entry.extra['chunking']);
    if (typeof c === 'string') return { problem: `${where}: ${c}` };
    chunking = c;
  }
  return {
    ...(speech === undefined ? {} : { speech }),
    ...(chunking === undefined ? {} : { chunking }),
  };
}

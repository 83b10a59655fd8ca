/**
 * The flags every audio command shares (`eou transcribe`, `eou encode`, `eou wer-gate
 * --audio-manifest`, `eou bench --e2e`) and the model directory they run on: `--model`, or the
 * embedded tiny EOU model (copied into the cache with the variants the command needs built).
 */
import fs from 'node:fs';
import path from 'node:path';
import { eouDebounceSemantics } from '@eou/frontend';
import type { EouDetectorInput } from '@eou/gate';
import { CLIError } from './cliError';
import type { CommandContext } from './command';
import { modelFor } from './modelDefaults';

/** `--schedule`, `--resample`: how audio becomes frames. */
export const scheduleFlags = {
  schedule: {
    type: 'string',
    valueName: 'S',
    description:
      'Chunk schedule: harness, production (= production-160ms), production-320ms, production-1280ms, one the model declares (the tiny model: tiny-160ms, its default), or any of them with +harness (the research harness on its windows).',
  },
  resample: {
    type: 'boolean',
    description:
      "Resample audio of another rate to the model's (libsamplerate); without it such a file fails.",
  },
} as const;

/** The EOU detector flags (the debounce of docs/reference-system.md §2.2). */
export const eouDetectorFlags = {
  'eou-debounce-ms': {
    type: 'number',
    min: 0,
    valueName: 'MS',
    description: 'EOU debounce: an <EOU> is confirmed after MS of audio without new tokens (default 1280).',
  },
  'eou-semantics': {
    type: 'enum',
    choices: eouDebounceSemantics,
    valueName: 'S',
    description:
      'Debounce semantics: silence-since-last-token (default, the current host) or consecutive-chunks (before FluidAudio #831: any chunk without an EOU signal restarts it).',
  },
  'reset-on-eou': {
    type: 'boolean',
    description:
      'Reset the decoder state when an EOU is confirmed (a host that starts each utterance afresh; default: keep it, as the seed host does).',
  },
} as const;

/** The detector the flags ask for, or undefined for the default. */
export function eouDetectorFrom(o: {
  readonly 'eou-debounce-ms'?: number | undefined;
  readonly 'eou-semantics'?: (typeof eouDebounceSemantics)[number] | undefined;
}): EouDetectorInput | undefined {
  const debounceMs = o['eou-debounce-ms'];
  const semantics = o['eou-semantics'];
  if (debounceMs === undefined && semantics === undefined) return undefined;
  return {
    kind: 'debounce',
    ...(debounceMs === undefined ? {} : { debounceMs }),
    ...(semantics === undefined ? {} : { semantics }),
  };
}

/**
 * The model directory of an audio command: `--model`, or the embedded tiny EOU model, with `variants`
 * built on first use (in the cache, never in a directory the user names).
 */
export async function audioModelDir(
  given: string | undefined,
  variants: readonly string[],
  ctx: CommandContext<unknown>,
  command: string,
): Promise<string> {
  if (given !== undefined) {
    const dir = path.resolve(ctx.cwd, given);
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory())
      throw new CLIError(`eou ${command}: --model: ${dir} is not a directory`, 'E_BAD_INPUT');
  }
  return (await modelFor(ctx, command, given, variants)).dir;
}

/** An input path the user gave, resolved and checked to exist. */
export function existingPath(
  given: string,
  flag: string,
  ctx: CommandContext<unknown>,
  command: string,
): string {
  const p = path.resolve(ctx.cwd, given);
  if (!fs.existsSync(p))
    throw new CLIError(`eou ${command}: ${flag}: ${p}: no such file or directory`, 'E_BAD_INPUT');
  return p;
}

/**
 * Writes a corpus directory (`manifest.jsonl` + `frames/*.npy`) from `@eou/fusion`'s synthetic
 * generator for a synthetic model: frames whose greedy decode gives the reference texts except on the
 * low-margin frames asked for. Deterministic: the same model and options give byte-identical files.
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadSynthModelDirectory, SynthCorpusGenerator } from '@eou/fusion';
import { encodeNpy } from '@eou/rnnt-decode';
import { writeAtomic } from './writeAtomic';

/** Options of {@link writeSynthCorpus}. */
export interface WriteSynthCorpusOptions {
  /** Number of utterances (an integer >= 1). */
  readonly files: number;
  /** Corpus seed (default 1). */
  readonly seed?: number;
  /** Target encoder frames per utterance (default 92, about 7.4 s; at least 12). */
  readonly framesPerFile?: number;
  /** Share of token frames built with a near-zero margin (default 0). */
  readonly lowMarginShare?: number;
  /** Called after each file is written. */
  readonly onFile?: (done: number, files: number) => void;
}

/** What {@link writeSynthCorpus} wrote. */
export interface SynthCorpusSummary {
  readonly manifestFile: string;
  readonly files: number;
  readonly frames: number;
  readonly tokens: number;
  readonly framesPerToken: number;
  readonly lowMarginFrames: number;
  /** Low-margin frames whose decision is predicted to differ from the reference text's token. */
  readonly predictedFlips: number;
}

/**
 * Writes the corpus of the synthetic model in `modelDir` (written by `@eou/fusion`'s
 * `writeSynthModelDirectory`) to `outDir`. Every file is written atomically and the manifest last, so
 * a directory with a manifest is complete.
 *
 * @throws RangeError for bad options; `FusionError` (`E_SYNTH`) naming the file when `modelDir` is not
 *   a synthetic model directory.
 */
export function writeSynthCorpus(
  modelDir: string,
  outDir: string,
  options: WriteSynthCorpusOptions,
): SynthCorpusSummary {
  const { files } = options;
  if (!Number.isSafeInteger(files) || files < 1)
    throw new RangeError(`\`options.files\` must be an integer >= 1, got ${JSON.stringify(files)}`);
  const synth = loadSynthModelDirectory(modelDir);
  const gen = new SynthCorpusGenerator(synth, {
    seed: options.seed ?? 1,
    framesPerFile: options.framesPerFile ?? 92,
    lowMarginShare: options.lowMarginShare ?? 0,
  });
  fs.mkdirSync(path.join(outDir, 'frames'), { recursive: true });
  const E = synth.joint.encoderDim;
  const frameSeconds = Number(synth.modelJson['frameMs']) / 1000;
  const lines: string[] = [];
  let frames = 0;
  let tokens = 0;
  let lowMarginFrames = 0;
  let predictedFlips = 0;
  for (let i = 0; i < files; i++) {
    const u = gen.utterance(i);
    const rel = `frames/${u.id}.npy`;
    writeAtomic(path.join(outDir, rel), encodeNpy(u.frames, [u.frameCount, E]));
    lines.push(
      JSON.stringify({
        id: u.id,
        text: u.text,
        frames: rel,
        duration: Math.round(u.frameCount * frameSeconds * 1000) / 1000,
        eouFrame: u.eouFrame,
        lowMarginFrames: u.lowMarginFrames,
      }),
    );
    frames += u.frameCount;
    tokens += u.tokens.length;
    lowMarginFrames += u.lowMarginFrames;
    predictedFlips += u.referenceMismatches;
    options.onFile?.(i + 1, files);
  }
  const manifestFile = path.join(outDir, 'manifest.jsonl');
  writeAtomic(manifestFile, lines.join('\n') + '\n');
  return {
    manifestFile,
    files,
    frames,
    tokens,
    framesPerToken: Math.round((frames / tokens) * 100) / 100,
    lowMarginFrames,
    predictedFlips,
  };
}

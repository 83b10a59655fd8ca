/**
 * The command registry. Each command lives in its own file and is loaded only when invoked, so
 * `eou --help` and `eou wer` never load ONNX Runtime.
 */
import type { Command } from '../command';

export interface CommandEntry {
  readonly description: string;
  readonly load: () => Promise<Command>;
}

export const commands: Readonly<Record<string, CommandEntry>> = {
  bench: {
    description:
      'Time decode-path variants per step (interleaved, identical-output check) and per utterance.',
    load: async () => (await import('./bench')).default,
  },
  convert: {
    description: 'Convert a CoreML .mlmodelc/.mlpackage to ONNX, or rewrite it as an .mlpackage.',
    load: async () => (await import('./convert')).default,
  },
  decode: {
    description:
      'Greedy-decode one .npy of encoder frames with a model directory; print tokens, frames, text, EOUs.',
    load: async () => (await import('./decode')).default,
  },
  encode: {
    description:
      'Encode an audio manifest into a corpus of cached encoder frames under a named chunk schedule (resumable, with provenance).',
    load: async () => (await import('./encode')).default,
  },
  fuse: {
    description:
      'Build a fused decoder+joint variant (pipeline, lean, lean-topk, projected) from a model directory.',
    load: async () => (await import('./fuse')).default,
  },
  inspect: {
    description:
      'Describe a model directory (layout, features, encoder states, decoder, vocab, variants) or one model file.',
    load: async () => (await import('./inspect')).default,
  },
  'model-json': {
    description:
      'Write the model.json derived for a sherpa-onnx or FluidAudio model directory (atomic), making it a normal model dir.',
    load: async () => (await import('./modelJson')).default,
  },
  parity: {
    description:
      'Compare two variants step by step (teacher-forced and free-running); exit 0 iff FUNCTIONAL.',
    load: async () => (await import('./parity')).default,
  },
  'synth-corpus': {
    description: 'Write a synthetic corpus (manifest.jsonl, frames/*.npy) matching a synthetic model.',
    load: async () => (await import('./synthCorpus')).default,
  },
  'synth-model': {
    description: 'Write a deterministic synthetic model directory with the Parakeet EOU contract.',
    load: async () => (await import('./synthModel')).default,
  },
  transcribe: {
    description:
      "Transcribe audio files with a model's streaming loop: text, tokens with times, EOU times, RTFx.",
    load: async () => (await import('./transcribe')).default,
  },
  wer: {
    description:
      'Score hypothesis transcripts against references: WER/CER, S/D/I, alignments (Kaldi id-text files).',
    load: async () => (await import('./wer')).default,
  },
  'wer-gate': {
    description:
      'Run the N-way WER gate on cached encoder frames (or audio, under named chunk schedules) and write reports.',
    load: async () => (await import('./werGate')).default,
  },
  version: {
    description: 'Print the versions of the CLI and its packages.',
    load: async () => (await import('./version')).default,
  },
};

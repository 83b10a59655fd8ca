/**
 * Test-only: the zipformer fixture wired by hand through the library APIs (the CLI's model
 * directory loading is not used here): the int8 streaming encoder under the 45/32-frame schedule
 * with 0.8 s of tail padding (sherpa-onnx's), Kaldi fbank, and the stateless prediction net and
 * joiner as `@eou/rnnt-decode`'s stateless step model, greedy with one symbol per frame.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openOnnxSession } from '@eou/onnx-runtime';
import {
  statelessModelFromSessions,
  type AnyStepModel,
  type Session,
  type TensorMap,
  type Vocab,
} from '@eou/rnnt-decode';
import {
  createStreamingEncoder,
  parseChunkSchedule,
  parseFeatureConfig,
  zipformerStreamingEncoderSpec,
  type StreamingTranscriberOptions,
} from '../src/index';

/** sherpa-onnx's trailing silence at the end of a stream. */
export const zipformerTailPaddingMs = 800;

/** `tokens.txt` (`piece id` per line) as id -> piece, every id (blank and `<unk>` included). */
export function readTokens(dir: string): Map<number, string> {
  return new Map(
    readFileSync(join(dir, 'tokens.txt'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.split(' '))
      .map(([piece, id]) => [Number(id), piece!] as const),
  );
}

export interface ZipformerPipeline {
  readonly options: StreamingTranscriberOptions;
  readonly tokens: Map<number, string>;
  /**
   * Per joiner call since the last `margins.length = 0`, the gap between its best and second-best
   * logit. With one symbol per frame there is one call per decoded frame, so index = frame.
   */
  readonly margins: number[];
  /** Per joiner call, alongside `margins`: the id of the best logit. */
  readonly best: number[];
  close(): Promise<void>;
}

/** The joiner session with every call's top-two logit gap pushed to `margins`, its best id to `bestIds`. */
function recordingMargins(joiner: Session, margins: number[], bestIds: number[]): Session {
  const gap = (out: TensorMap): TensorMap => {
    const logits = out['logit']!.data as Float32Array;
    let best = -Infinity;
    let second = -Infinity;
    let at = -1;
    logits.forEach((v, i) => {
      if (v > best) [best, second, at] = [v, best, i];
      else if (v > second) second = v;
    });
    margins.push(best - second);
    bestIds.push(at);
    return out;
  };
  return {
    path: joiner.path,
    inputs: joiner.inputs,
    outputs: joiner.outputs,
    isSync: joiner.isSync,
    run(feeds, outputs) {
      const out = joiner.run(feeds, outputs);
      return out instanceof Promise ? out.then(gap) : gap(out);
    },
    close: () => joiner.close(),
  };
}

/**
 * Opens the fixture's encoder, `decoder` and `joiner` files.
 * @param decoder a step model to use instead of the stateless decoder.onnx + joiner.onnx pair
 */
export async function openZipformerPipeline(
  dir: string,
  decoder?: (dims: { D: number; V: number }) => Promise<{ model: AnyStepModel; close(): Promise<void> }>,
): Promise<ZipformerPipeline> {
  const tokens = readTokens(dir);
  const vocab: Vocab = new Map([...tokens].filter(([id]) => id > 2));
  const unkId = [...tokens].find(([, piece]) => piece === '<unk>')?.[0];
  const encoderSession = await openOnnxSession(join(dir, 'encoder.int8.onnx'));
  const encoder = createStreamingEncoder(encoderSession, zipformerStreamingEncoderSpec);
  const D = 320;
  const V = tokens.size;
  const margins: number[] = [];
  const best: number[] = [];
  let model: AnyStepModel;
  let closeDecoder: () => Promise<void>;
  if (decoder === undefined) {
    const dec = await openOnnxSession(join(dir, 'decoder.onnx'));
    const jnt = await openOnnxSession(join(dir, 'joiner.onnx'));
    model = statelessModelFromSessions(dec, recordingMargins(jnt, margins, best), {
      contextSize: 2,
      decoderDim: D,
      encoderDim: D,
      vocabSize: V,
      frameMs: 40,
    });
    closeDecoder = async () => {
      await dec.close();
      await jnt.close();
    };
  } else {
    const opened = await decoder({ D, V });
    model = opened.model;
    closeDecoder = () => opened.close();
  }
  const options: StreamingTranscriberOptions = {
    features: parseFeatureConfig({ kind: 'kaldi-fbank' }),
    encoder,
    decoder: model,
    // `<unk>` decoded as blank, as sherpa-onnx does (and `@eou/model-dir` derives from tokens.txt).
    decodeConfig: { blankId: 0, unkId, maxSymbolsPerFrame: 1, predictionPolicy: 'cache' },
    schedule: parseChunkSchedule({
      name: 'zipformer-320ms',
      unit: 'frames',
      windowFrames: 45,
      shiftFrames: 32,
      tail: 'drop',
      tailPaddingMs: zipformerTailPaddingMs,
      frameMs: 40,
    }),
    vocab,
    endOfUtterance: null,
  };
  return {
    options,
    tokens,
    margins,
    best,
    async close() {
      await encoderSession.close();
      await closeDecoder();
    },
  };
}

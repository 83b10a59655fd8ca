/**
 * Test-only: the npm `sherpa-onnx` WASM build (a dev dependency; it downloads nothing and reads
 * the model from disk) as an independent decoder of a streaming transducer, for token-for-token
 * comparisons with the toolkit's loop: greedy search, sherpa-onnx's own fbank, the tail padding
 * fed as zeros by the caller, endpointing off.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';

interface SherpaStream {
  acceptWaveform(sampleRate: number, samples: Float32Array): void;
  inputFinished(): void;
  free(): void;
}
interface SherpaRecognizer {
  createStream(): SherpaStream;
  isReady(stream: SherpaStream): boolean;
  decode(stream: SherpaStream): void;
  isEndpoint(stream: SherpaStream): boolean;
  reset(stream: SherpaStream): void;
  getResult(stream: SherpaStream): { text: string; tokens: string[]; timestamps: number[] };
  free(): void;
}

/** What sherpa-onnx decoded: token pieces (`▁` as a space, as its tokens.txt reader gives them) and their frames. */
export interface OracleResult {
  readonly text: string;
  readonly pieces: readonly string[];
  /** Encoder frame of each token (its timestamp over the frame length). */
  readonly frames: readonly number[];
}

/** One utterance cut by sherpa-onnx's endpoint rules. */
export interface OracleUtterance extends OracleResult {
  /** Encoder chunks decoded when the endpoint fired (the stream's end for the last one). */
  readonly chunks: number;
  readonly endpoint: boolean;
}

export interface SherpaOracle {
  decode(samples: Float32Array, tailPaddingSamples: number): OracleResult;
  /**
   * Decodes with sherpa-onnx's endpoint rules (its defaults: rule1 2.4 s, rule2 1.2 s, rule3
   * 20 s), checked after every chunk; an endpoint resets the stream, as sherpa-onnx's apps do.
   */
  endpoints(samples: Float32Array, tailPaddingSamples: number): OracleUtterance[];
  free(): void;
}

/**
 * An online transducer recognizer over `dir`'s `encoder`, `decoder.onnx`, `joiner.onnx` and `tokens.txt`.
 * @param frameSeconds seconds per encoder frame (0.04 for the zipformer)
 */
export function openSherpaOnnxOracle(dir: string, encoder: string, frameSeconds: number): SherpaOracle {
  const sherpa = createRequire(import.meta.url)('sherpa-onnx') as {
    createOnlineRecognizer(config: unknown): SherpaRecognizer;
  };
  const config = (enableEndpoint: 0 | 1) => ({
    featConfig: { sampleRate: 16000, featureDim: 80 },
    modelConfig: {
      transducer: {
        encoder: join(dir, encoder),
        decoder: join(dir, 'decoder.onnx'),
        joiner: join(dir, 'joiner.onnx'),
      },
      paraformer: { encoder: '', decoder: '' },
      zipformer2Ctc: { model: '' },
      nemoCtc: { model: '' },
      toneCtc: { model: '' },
      tokens: join(dir, 'tokens.txt'),
      numThreads: 1,
      provider: 'cpu',
      debug: 0,
      modelType: '',
      // 'bpe' would need a bpe.vocab (hotwords only); the unit does not change greedy decoding.
      modelingUnit: 'cjkchar',
      bpeVocab: '',
    },
    decodingMethod: 'greedy_search',
    maxActivePaths: 4,
    enableEndpoint,
    rule1MinTrailingSilence: 2.4,
    rule2MinTrailingSilence: 1.2,
    rule3MinUtteranceLength: 20,
    hotwordsFile: '',
    hotwordsScore: 1.5,
    ctcFstDecoderConfig: { graph: '', maxActive: 3000 },
    ruleFsts: '',
    ruleFars: '',
  });
  const recognizer = sherpa.createOnlineRecognizer(config(0));
  let endpointing: SherpaRecognizer | undefined;
  const resultOf = (r: { text: string; tokens: string[]; timestamps: number[] }): OracleResult => ({
    text: r.text,
    pieces: r.tokens,
    frames: r.timestamps.map((t) => Math.round(t / frameSeconds)),
  });
  return {
    decode(samples, tailPaddingSamples) {
      const stream = recognizer.createStream();
      try {
        stream.acceptWaveform(16000, samples);
        stream.acceptWaveform(16000, new Float32Array(tailPaddingSamples));
        stream.inputFinished();
        while (recognizer.isReady(stream)) recognizer.decode(stream);
        return resultOf(recognizer.getResult(stream));
      } finally {
        stream.free();
      }
    },
    endpoints(samples, tailPaddingSamples) {
      endpointing ??= sherpa.createOnlineRecognizer(config(1));
      const rec = endpointing;
      const stream = rec.createStream();
      const out: OracleUtterance[] = [];
      try {
        stream.acceptWaveform(16000, samples);
        stream.acceptWaveform(16000, new Float32Array(tailPaddingSamples));
        stream.inputFinished();
        let chunks = 0;
        while (rec.isReady(stream)) {
          rec.decode(stream);
          chunks++;
          if (rec.isEndpoint(stream)) {
            out.push({ ...resultOf(rec.getResult(stream)), chunks, endpoint: true });
            rec.reset(stream);
          }
        }
        const last = resultOf(rec.getResult(stream));
        if (last.pieces.length > 0) out.push({ ...last, chunks, endpoint: false });
        return out;
      } finally {
        stream.free();
      }
    },
    free() {
      recognizer.free();
      endpointing?.free();
    },
  };
}

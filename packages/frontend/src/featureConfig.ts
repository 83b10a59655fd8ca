/**
 * Feature descriptions, as a model's `model.json` states them under `encoder.features`, so the
 * front end computes what the encoder was trained on rather than a hard-coded recipe.
 * `parseFeatureConfig` fills the defaults of each kind and checks every field.
 */
import { describeValue, FrontendError } from './frontendError';

/**
 * The seed's NeMo log-mel (seed-system §1.3): preemphasis carried across chunks, centre padding of
 * `nFft/2` zeros, a symmetric Hann window of `winLength` centred in `nFft`, `|rfft|^2`, Slaney mels
 * with Slaney area normalisation, `log(mel + logGuard)`, `1 + (len + nFft - winLength) // hop` frames.
 */
export interface NemoLogMelConfig {
  readonly kind: 'nemo-logmel';
  readonly sampleRate: number;
  readonly nFft: number;
  readonly winLength: number;
  readonly hop: number;
  readonly nMels: number;
  readonly melScale: 'slaney';
  readonly fMin: number;
  readonly fMax: number;
  /** `y[n] = x[n] - preemphasis * x[n-1]`, `x[-1] = 0`; 0 disables it. */
  readonly preemphasis: number;
  readonly logGuard: number;
}

/** Window functions of Kaldi's feature extraction. */
export type KaldiWindow = 'povey' | 'hann' | 'hamming' | 'rectangular';

/**
 * Kaldi filterbank features (`compute-fbank-feats`, `torchaudio.compliance.kaldi.fbank`,
 * kaldi-native-fbank in sherpa-onnx): per frame DC removal, preemphasis inside the frame, the
 * window, zero padding to a power of two, `|rfft|^2`, mel triangles, `log(max(mel, FLT_EPSILON))`.
 * Samples are taken as they come (scaled to [-1, 1] by the readers, as sherpa-onnx feeds them).
 */
export interface KaldiFbankConfig {
  readonly kind: 'kaldi-fbank';
  readonly sampleRate: number;
  readonly numMelBins: number;
  readonly frameLengthMs: number;
  readonly frameShiftMs: number;
  readonly window: KaldiWindow;
  /** Only 0: dithering would make features random. */
  readonly dither: 0;
  /** false: frames centred on multiples of the shift, edges reflected (sherpa-onnx); true: only whole frames. */
  readonly snipEdges: boolean;
  readonly lowFreq: number;
  /** <= 0 counts down from the Nyquist frequency. */
  readonly highFreq: number;
  readonly preemphasis: number;
  readonly removeDcOffset: boolean;
}

/** Either feature kind. */
export type FeatureConfig = NemoLogMelConfig | KaldiFbankConfig;

/** Feature kinds this package computes. */
export const featureKinds = ['nemo-logmel', 'kaldi-fbank'] as const;

/** The seed's 128-bin NeMo log-mel at 16 kHz (Parakeet EOU, the tiny EOU model). */
export const nemoLogMelDefaults: NemoLogMelConfig = Object.freeze({
  kind: 'nemo-logmel',
  sampleRate: 16000,
  nFft: 512,
  winLength: 400,
  hop: 160,
  nMels: 128,
  melScale: 'slaney',
  fMin: 0,
  fMax: 8000,
  preemphasis: 0.97,
  logGuard: 2 ** -24,
});

/** sherpa-onnx's fbank defaults (icefall / k2-fsa streaming models). */
export const kaldiFbankDefaults: KaldiFbankConfig = Object.freeze({
  kind: 'kaldi-fbank',
  sampleRate: 16000,
  numMelBins: 80,
  frameLengthMs: 25,
  frameShiftMs: 10,
  window: 'povey',
  dither: 0,
  snipEdges: false,
  lowFreq: 20,
  highFreq: -400,
  preemphasis: 0.97,
  removeDcOffset: true,
});

/**
 * Reads a feature description (a `model.json` `encoder.features` object). `kind` defaults to
 * `nemo-logmel` when absent (the tiny model's first `model.json` had none); missing fields take the
 * kind's defaults.
 * @param file named in errors, e.g. `model/model.json`
 * @throws FrontendError `E_MODEL_CONFIG` naming the field
 */
export function parseFeatureConfig(
  input: unknown,
  file = 'model.json',
  path = 'encoder.features',
): FeatureConfig {
  const fail = (field: string, message: string): never => {
    throw new FrontendError('E_MODEL_CONFIG', `${file}: ${path}.${field} ${message}`, {
      file,
      field: `${path}.${field}`,
    });
  };
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new FrontendError(
      'E_MODEL_CONFIG',
      `${file}: ${path} must be an object, got ${describeValue(input)}`,
      { file, field: path },
    );
  }
  const o = input as Record<string, unknown>;
  const kind = o['kind'] ?? 'nemo-logmel';
  const num = (field: string, fallback: number, check: (v: number) => boolean, what: string): number => {
    const v = o[field] ?? fallback;
    if (typeof v !== 'number' || !Number.isFinite(v) || !check(v))
      fail(field, `must be ${what}, got ${describeValue(v)}`);
    return v as number;
  };
  const positiveInt = (v: number) => Number.isInteger(v) && v > 0;
  if (kind === 'nemo-logmel') {
    const d = nemoLogMelDefaults;
    const sampleRate = num('sampleRate', d.sampleRate, positiveInt, 'a positive integer');
    const nFft = num('nFft', d.nFft, (v) => positiveInt(v) && (v & (v - 1)) === 0, 'a power of two');
    const winLength = num(
      'winLength',
      d.winLength,
      (v) => positiveInt(v) && v <= nFft && (nFft - v) % 2 === 0,
      `an integer <= nFft (${nFft}) of the same parity`,
    );
    const config: NemoLogMelConfig = {
      kind,
      sampleRate,
      nFft,
      winLength,
      hop: num('hop', d.hop, positiveInt, 'a positive integer'),
      nMels: num('nMels', d.nMels, positiveInt, 'a positive integer'),
      melScale:
        (o['melScale'] ?? 'slaney') === 'slaney'
          ? 'slaney'
          : fail('melScale', `must be "slaney", got ${describeValue(o['melScale'])}`),
      fMin: num('fMin', 0, (v) => v >= 0, 'a frequency >= 0'),
      fMax: num(
        'fMax',
        sampleRate / 2,
        (v) => v > 0 && v <= sampleRate / 2,
        `a frequency in (0, ${sampleRate / 2}]`,
      ),
      preemphasis: num('preemphasis', d.preemphasis, (v) => v >= 0 && v < 1, 'a number in [0, 1)'),
      logGuard: num('logGuard', d.logGuard, (v) => v > 0, 'a positive number'),
    };
    if (config.fMin >= config.fMax) fail('fMin', `must be below fMax (${config.fMax}), got ${config.fMin}`);
    return Object.freeze(config);
  }
  if (kind === 'kaldi-fbank') {
    const d = kaldiFbankDefaults;
    const sampleRate = num('sampleRate', d.sampleRate, positiveInt, 'a positive integer');
    const window = o['window'] ?? d.window;
    if (!['povey', 'hann', 'hamming', 'rectangular'].includes(window as string))
      fail('window', `must be povey, hann, hamming or rectangular, got ${describeValue(window)}`);
    if ((o['dither'] ?? 0) !== 0)
      fail('dither', `must be 0 (dithered features are random), got ${describeValue(o['dither'])}`);
    for (const field of ['snipEdges', 'removeDcOffset']) {
      if (o[field] !== undefined && typeof o[field] !== 'boolean')
        fail(field, `must be a boolean, got ${describeValue(o[field])}`);
    }
    const config: KaldiFbankConfig = {
      kind,
      sampleRate,
      numMelBins: num('numMelBins', d.numMelBins, positiveInt, 'a positive integer'),
      frameLengthMs: num(
        'frameLengthMs',
        d.frameLengthMs,
        (v) => v > 0 && Number.isInteger((v * sampleRate) / 1000),
        'a positive whole number of samples in ms',
      ),
      frameShiftMs: num(
        'frameShiftMs',
        d.frameShiftMs,
        (v) => v > 0 && Number.isInteger((v * sampleRate) / 1000),
        'a positive whole number of samples in ms',
      ),
      window: window as KaldiWindow,
      dither: 0,
      snipEdges: (o['snipEdges'] as boolean | undefined) ?? d.snipEdges,
      lowFreq: num('lowFreq', d.lowFreq, (v) => v >= 0, 'a frequency >= 0'),
      highFreq: num(
        'highFreq',
        d.highFreq,
        (v) => v <= sampleRate / 2,
        `a frequency <= ${sampleRate / 2} (or <= 0 from the Nyquist down)`,
      ),
      preemphasis: num('preemphasis', d.preemphasis, (v) => v >= 0 && v < 1, 'a number in [0, 1)'),
      removeDcOffset: (o['removeDcOffset'] as boolean | undefined) ?? d.removeDcOffset,
    };
    const high = config.highFreq <= 0 ? config.highFreq + sampleRate / 2 : config.highFreq;
    if (config.lowFreq >= high)
      fail('lowFreq', `must be below the high frequency (${high} Hz), got ${config.lowFreq}`);
    return Object.freeze(config);
  }
  return fail('kind', `must be one of ${featureKinds.join(', ')}, got ${describeValue(kind)}`);
}

/** Features per frame of a configuration. */
export function featureBins(config: FeatureConfig): number {
  return config.kind === 'nemo-logmel' ? config.nMels : config.numMelBins;
}

/** Audio samples per feature frame (the hop). */
export function featureHop(config: FeatureConfig): number {
  return config.kind === 'nemo-logmel' ? config.hop : (config.frameShiftMs * config.sampleRate) / 1000;
}

/**
 * How a cache-aware streaming encoder is called, as `model.json` declares it (`encoder.streaming`):
 * which input takes the features and in which layout, which output gives the frames, an optional
 * length input, and how the state inputs pair with state outputs (by the prefix `new_`, or an
 * explicit list). Every input that is not the features or the length is a state.
 */
import { describeValue, FrontendError } from './frontendError';

/** `bins-first`: `[1, D, T]` (NeMo); `frames-first`: `[1, T, D]` (icefall / sherpa-onnx). */
export type TensorLayout = 'bins-first' | 'frames-first';

/** One state input and the output that carries its next value. */
export interface StatePair {
  readonly input: string;
  readonly output: string;
}

/** The streaming contract of an encoder graph. */
export interface StreamingEncoderSpec {
  /** The graph file, relative to the model directory (for loaders; the driver takes a session). */
  readonly file?: string;
  /** Features input (float32, rank 3). */
  readonly input: string;
  readonly inputLayout: TensorLayout;
  /** Encoded frames output (float32, rank 3). */
  readonly output: string;
  readonly outputLayout: TensorLayout;
  /** An int32/int64 `[1]` input fed the chunk's frame count (Parakeet's `audio_length`). */
  readonly lengthInput?: string;
  /** An output giving the number of valid output frames (Parakeet's `encoded_length`). */
  readonly lengthOutput?: string;
  /** `{ prefix }`: state input X pairs with output `prefix + X`; or the explicit pairs. */
  readonly states: { readonly prefix: string } | readonly StatePair[];
}

/** The Parakeet EOU `streaming_encoder` contract (seed-system §1.4). */
export const parakeetStreamingEncoderSpec: StreamingEncoderSpec = Object.freeze({
  file: 'streaming_encoder.onnx',
  input: 'audio_signal',
  inputLayout: 'bins-first',
  output: 'encoded_output',
  outputLayout: 'bins-first',
  lengthInput: 'audio_length',
  lengthOutput: 'encoded_length',
  states: Object.freeze({ prefix: 'new_' }),
});

/** The icefall / sherpa-onnx streaming zipformer contract (`x` [1,T,80] -> `encoder_out` [1,T',E], states paired with `new_*`). */
export const zipformerStreamingEncoderSpec: StreamingEncoderSpec = Object.freeze({
  file: 'encoder.onnx',
  input: 'x',
  inputLayout: 'frames-first',
  output: 'encoder_out',
  outputLayout: 'frames-first',
  states: Object.freeze({ prefix: 'new_' }),
});

/**
 * Reads a `model.json` `encoder.streaming` block.
 * @throws FrontendError `E_MODEL_CONFIG` naming the field
 */
export function parseStreamingEncoderSpec(
  input: unknown,
  file = 'model.json',
  path = 'encoder.streaming',
): StreamingEncoderSpec {
  const fail = (field: string, message: string): never => {
    throw new FrontendError(
      'E_MODEL_CONFIG',
      `${file}: ${path}${field === '' ? '' : `.${field}`} ${message}`,
      {
        file,
        field: field === '' ? path : `${path}.${field}`,
      },
    );
  };
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    return fail('', `must be an object, got ${describeValue(input)}`);
  const o = input as Record<string, unknown>;
  const name = (field: string, optional = false): string | undefined => {
    const v = o[field];
    if (v === undefined && optional) return undefined;
    if (typeof v !== 'string' || v === '') fail(field, `must be a tensor name, got ${describeValue(v)}`);
    return v as string;
  };
  const layout = (field: string, fallback: TensorLayout): TensorLayout => {
    const v = o[field] ?? fallback;
    if (v !== 'bins-first' && v !== 'frames-first')
      fail(field, `must be "bins-first" or "frames-first", got ${describeValue(v)}`);
    return v as TensorLayout;
  };
  let states: StreamingEncoderSpec['states'];
  const s = o['states'] ?? { prefix: 'new_' };
  if (Array.isArray(s)) {
    states = s.map((pair, i) => {
      const p = pair as Record<string, unknown> | null;
      if (
        typeof p?.['input'] !== 'string' ||
        typeof p['output'] !== 'string' ||
        p['input'] === '' ||
        p['output'] === ''
      )
        fail(`states[${i}]`, `must be { "input": name, "output": name }, got ${describeValue(pair)}`);
      return { input: p!['input'] as string, output: p!['output'] as string };
    });
  } else if (
    typeof s === 'object' &&
    s !== null &&
    typeof (s as Record<string, unknown>)['prefix'] === 'string'
  ) {
    states = { prefix: (s as { prefix: string }).prefix };
    if (states.prefix === '') fail('states.prefix', 'must not be empty');
  } else {
    return fail(
      'states',
      `must be { "prefix": "new_" } or a list of { "input", "output" } pairs, got ${describeValue(s)}`,
    );
  }
  const spec: StreamingEncoderSpec = {
    file: name('file', true),
    input: name('input')!,
    inputLayout: layout('inputLayout', 'bins-first'),
    output: name('output')!,
    outputLayout: layout('outputLayout', 'bins-first'),
    lengthInput: name('lengthInput', true),
    lengthOutput: name('lengthOutput', true),
    states,
  };
  return Object.freeze(spec);
}

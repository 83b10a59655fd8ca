/**
 * The streaming encoder driver: runs any cache-aware encoder on any session of the contract
 * (`Session` of `@eou/rnnt-decode`; ONNX Runtime, CoreML). State tensors start at zero, and each
 * call's state outputs are the next call's state inputs. The pairing is checked once, when the
 * driver is made: a state input without its output is one line naming the file and the tensor.
 */
import type { Session, Tensor, TensorDType, TensorInfo, TensorMap } from '@eou/rnnt-decode';
import { describeValue, FrontendError } from './frontendError';
import type { StatePair, StreamingEncoderSpec, TensorLayout } from './streamingEncoderSpec';

/** One state tensor the driver carries. */
export interface EncoderState {
  readonly input: string;
  readonly output: string;
  readonly dtype: TensorDType;
  readonly dims: readonly number[];
}

/** What one encoder call gave. */
export interface EncodedChunk {
  /** Output frames, frame-major: frame t's `dim` values at `t * dim`. */
  readonly frames: Float32Array;
  /** Frames in `frames`. */
  readonly count: number;
  readonly dim: number;
  /** The `lengthOutput` value when the spec names one, else `count`. */
  readonly validLength: number;
}

/** A driver over one encoder session; see {@link createStreamingEncoder}. */
export interface StreamingEncoder {
  readonly session: Session;
  readonly spec: StreamingEncoderSpec;
  /** Feature bins per input frame (`D` of the features input). */
  readonly featureBins: number;
  /** Input frames per call when the graph fixes them (Parakeet 17, zipformer 45), else undefined. */
  readonly chunkFrames: number | undefined;
  /** Width of an output frame (`E`). */
  readonly outputDim: number;
  readonly states: readonly EncoderState[];
  /** Calls since the last reset. */
  readonly calls: number;
  /**
   * Encodes one chunk of feature frames (frame-major `[frameCount * featureBins]`) and carries the states.
   * @throws RangeError for a wrong-sized chunk
   * @throws FrontendError `E_ENCODER_CONTRACT` when an output breaks the declared shapes
   */
  encode(features: Float32Array, frameCount: number): Promise<EncodedChunk>;
  /** Current value of a state (for tests and inspection). */
  state(input: string): Tensor;
  /** Zeroes every state (a new stream). */
  reset(): void;
}

const zeros = (dtype: TensorDType, n: number): Tensor['data'] =>
  dtype === 'float32'
    ? new Float32Array(n)
    : dtype === 'float16'
      ? new Uint16Array(n)
      : dtype === 'int32'
        ? new Int32Array(n)
        : new BigInt64Array(n);

const shapeText = (shape: readonly (number | string)[]): string => `[${shape.join(',')}]`;

/**
 * Checks the session against the spec and makes a driver.
 * @throws FrontendError `E_ENCODER_CONTRACT` naming the file and tensor: a missing input or
 *   output, a state that does not pair, a state with a symbolic dim, mismatched state shapes
 */
export function createStreamingEncoder(session: Session, spec: StreamingEncoderSpec): StreamingEncoder {
  if (typeof session !== 'object' || session === null || typeof session.run !== 'function')
    throw new TypeError(`session must be a contract Session, got ${describeValue(session)}`);
  const file = session.path;
  const fail = (message: string, field?: string): never => {
    throw new FrontendError('E_ENCODER_CONTRACT', `${file}: ${message}`, { file, field });
  };
  const inputs = new Map(session.inputs.map((i) => [i.name, i]));
  const outputs = new Map(session.outputs.map((o) => [o.name, o]));
  const featuresIn =
    inputs.get(spec.input) ??
    fail(`has no features input \`${spec.input}\` (inputs: ${[...inputs.keys()].join(', ')})`, spec.input);
  const framesOut =
    outputs.get(spec.output) ??
    fail(`has no frames output \`${spec.output}\` (outputs: ${[...outputs.keys()].join(', ')})`, spec.output);
  for (const [info, role] of [
    [featuresIn, 'input'],
    [framesOut, 'output'],
  ] as const) {
    if (info.dtype !== 'float32' || info.shape.length !== 3)
      fail(
        `${role} \`${info.name}\` must be float32 of rank 3, got ${info.dtype} ${shapeText(info.shape)}`,
        info.name,
      );
  }
  const binsAt = spec.inputLayout === 'bins-first' ? 1 : 2;
  const featureBins = featuresIn.shape[binsAt];
  if (typeof featureBins !== 'number' || featureBins < 1)
    fail(
      `input \`${spec.input}\` ${shapeText(featuresIn.shape)} needs a fixed feature dim at axis ${binsAt} (${spec.inputLayout})`,
      spec.input,
    );
  const timeDim = featuresIn.shape[binsAt === 1 ? 2 : 1];
  const chunkFrames = typeof timeDim === 'number' && timeDim > 0 ? timeDim : undefined;
  const outDimAt = spec.outputLayout === 'bins-first' ? 1 : 2;
  const outputDim = framesOut.shape[outDimAt];
  if (typeof outputDim !== 'number' || outputDim < 1)
    fail(
      `output \`${spec.output}\` ${shapeText(framesOut.shape)} needs a fixed frame width at axis ${outDimAt} (${spec.outputLayout})`,
      spec.output,
    );
  let lengthIn: TensorInfo | undefined;
  if (spec.lengthInput !== undefined) {
    lengthIn =
      inputs.get(spec.lengthInput) ?? fail(`has no length input \`${spec.lengthInput}\``, spec.lengthInput);
    if (lengthIn.dtype !== 'int32' && lengthIn.dtype !== 'int64')
      fail(
        `length input \`${spec.lengthInput}\` must be int32 or int64, got ${lengthIn.dtype}`,
        spec.lengthInput,
      );
  }
  if (spec.lengthOutput !== undefined && !outputs.has(spec.lengthOutput))
    fail(`has no length output \`${spec.lengthOutput}\``, spec.lengthOutput);

  const stateInputs = session.inputs.filter((i) => i.name !== spec.input && i.name !== spec.lengthInput);
  let pairs: StatePair[];
  if ('prefix' in spec.states) {
    const prefix = spec.states.prefix;
    pairs = stateInputs.map((i) => {
      const output = prefix + i.name;
      if (!outputs.has(output))
        fail(
          `state input \`${i.name}\` does not pair with an output: expected \`${output}\` (states pair by the prefix "${prefix}")`,
          i.name,
        );
      return { input: i.name, output };
    });
  } else {
    pairs = [...spec.states];
    const declared = new Set(pairs.map((p) => p.input));
    for (const i of stateInputs)
      if (!declared.has(i.name))
        fail(`input \`${i.name}\` is neither the features, the length nor a declared state`, i.name);
    for (const p of pairs) {
      if (!inputs.has(p.input)) fail(`declared state input \`${p.input}\` does not exist`, p.input);
      if (!outputs.has(p.output))
        fail(
          `state input \`${p.input}\` does not pair with an output: \`${p.output}\` does not exist`,
          p.input,
        );
    }
  }
  const states: EncoderState[] = pairs.map(({ input, output }) => {
    const i = inputs.get(input)!;
    const o = outputs.get(output)!;
    const dims = i.shape.map((d, axis) => {
      if (typeof d === 'number' && d >= 0) return d;
      // A symbolic batch dim of size 1 is common; any other symbolic state dim cannot be zero-initialised.
      if (axis === 0 || (typeof o.shape[axis] === 'number' && o.shape[axis] >= 0))
        return axis === 0 ? 1 : (o.shape[axis] as number);
      return fail(
        `state \`${input}\` ${shapeText(i.shape)} has a symbolic dim at axis ${axis}; its size must be fixed to zero-initialise it`,
        input,
      );
    });
    if (o.dtype !== i.dtype)
      fail(`state \`${input}\` is ${i.dtype} but its output \`${output}\` is ${o.dtype}`, input);
    if (
      o.shape.length !== dims.length ||
      o.shape.some((d, k) => typeof d === 'number' && d >= 0 && d !== dims[k])
    )
      fail(
        `state \`${input}\` ${shapeText(dims)} and its output \`${output}\` ${shapeText(o.shape)} differ in shape`,
        input,
      );
    return { input, output, dtype: i.dtype, dims };
  });
  return new Driver(session, spec, featureBins as number, chunkFrames, outputDim as number, states, lengthIn);
}

class Driver implements StreamingEncoder {
  calls = 0;
  private current: Map<string, Tensor> = new Map();

  constructor(
    readonly session: Session,
    readonly spec: StreamingEncoderSpec,
    readonly featureBins: number,
    readonly chunkFrames: number | undefined,
    readonly outputDim: number,
    readonly states: readonly EncoderState[],
    private readonly lengthIn: TensorInfo | undefined,
  ) {
    this.reset();
  }

  reset(): void {
    this.calls = 0;
    this.current = new Map(
      this.states.map((s) => [
        s.input,
        {
          dtype: s.dtype,
          dims: s.dims,
          data: zeros(
            s.dtype,
            s.dims.reduce((a, b) => a * b, 1),
          ),
        },
      ]),
    );
  }

  state(input: string): Tensor {
    const t = this.current.get(input);
    if (t === undefined)
      throw new RangeError(
        `input must be a state name (${this.states.map((s) => s.input).join(', ')}), got ${describeValue(input)}`,
      );
    return t;
  }

  async encode(features: Float32Array, frameCount: number): Promise<EncodedChunk> {
    const bins = this.featureBins;
    if (!(features instanceof Float32Array))
      throw new TypeError(`features must be a Float32Array, got ${describeValue(features)}`);
    if (!Number.isInteger(frameCount) || frameCount < 1)
      throw new RangeError(`frameCount must be a positive integer, got ${describeValue(frameCount)}`);
    if (features.length !== frameCount * bins)
      throw new RangeError(
        `features.length must be frameCount*featureBins = ${frameCount}*${bins} = ${frameCount * bins}, got ${features.length}`,
      );
    if (this.chunkFrames !== undefined && frameCount !== this.chunkFrames)
      throw new RangeError(
        `frameCount must be ${this.chunkFrames} (${this.session.path} takes fixed chunks), got ${frameCount}`,
      );
    const feeds: TensorMap = {};
    feeds[this.spec.input] = {
      dtype: 'float32',
      dims: this.spec.inputLayout === 'bins-first' ? [1, bins, frameCount] : [1, frameCount, bins],
      data: this.spec.inputLayout === 'bins-first' ? transpose(features, frameCount, bins) : features,
    };
    if (this.lengthIn !== undefined) {
      feeds[this.lengthIn.name] =
        this.lengthIn.dtype === 'int32'
          ? { dtype: 'int32', dims: [1], data: Int32Array.of(frameCount) }
          : { dtype: 'int64', dims: [1], data: BigInt64Array.of(BigInt(frameCount)) };
    }
    for (const s of this.states) feeds[s.input] = this.current.get(s.input)!;
    const out = await this.session.run(feeds);
    const file = this.session.path;
    const fail = (message: string, field: string): never => {
      throw new FrontendError('E_ENCODER_CONTRACT', `${file}: ${message}`, { file, field });
    };
    const next = new Map<string, Tensor>();
    for (const s of this.states) {
      const t = out[s.output] ?? fail(`run returned no \`${s.output}\``, s.output);
      if (t.dtype !== s.dtype || t.dims.length !== s.dims.length || t.dims.some((d, k) => d !== s.dims[k]))
        fail(
          `output \`${s.output}\` is ${t.dtype} ${shapeText(t.dims)}, its state \`${s.input}\` is ${s.dtype} ${shapeText(s.dims)}`,
          s.output,
        );
      next.set(s.input, t);
    }
    this.current = next;
    const enc = out[this.spec.output] ?? fail(`run returned no \`${this.spec.output}\``, this.spec.output);
    const layout: TensorLayout = this.spec.outputLayout;
    const dim = this.outputDim;
    const [, a, b] = enc.dims;
    const count = layout === 'bins-first' ? b! : a!;
    if (enc.dims.length !== 3 || (layout === 'bins-first' ? a : b) !== dim || enc.dtype !== 'float32')
      fail(
        `output \`${this.spec.output}\` is ${enc.dtype} ${shapeText(enc.dims)}, expected float32 with frame width ${dim} (${layout})`,
        this.spec.output,
      );
    const data = enc.data as Float32Array;
    const frames = layout === 'bins-first' ? transpose(data, dim, count) : data.slice();
    let validLength = count;
    if (this.spec.lengthOutput !== undefined) {
      const l = out[this.spec.lengthOutput];
      if (l !== undefined) validLength = Math.min(count, Number(l.data[0]));
    }
    this.calls++;
    return { frames, count, dim, validLength };
  }
}

/** [rows, cols] row-major -> [cols, rows] row-major. */
function transpose(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c]!;
  return out;
}

/**
 * The tensor contract of each model file (docs/onnx-layout.md), and the check that a loaded
 * session declares it. A mismatch is one line naming the file, the tensor, expected vs actual.
 */
import { RnntDecodeError } from './rnntDecodeError';
import type { Session, TensorDType, TensorInfo } from './session';

/** An expected dim: a size, `B` (batch: 1 or symbolic) or `T` (any). */
export type ContractDim = number | 'B' | 'T';

/** One expected input or output. */
export interface TensorSpec {
  readonly name: string;
  /** Accepted dtypes, preferred first. */
  readonly dtypes: readonly TensorDType[];
  readonly shape: readonly ContractDim[];
  /** Inputs only: fed when the session declares it (`target_length` of fused graphs). */
  readonly optional?: boolean;
}

/** What a session must declare. Extra outputs (top-k heads) are allowed; extra inputs are not. */
export interface SessionContract {
  readonly inputs: readonly TensorSpec[];
  readonly outputs: readonly TensorSpec[];
  /** model.json vocabSize: a top-k head (`top_k_ids`, `top_k_logits`) may not be wider. */
  readonly vocabSize?: number;
}

/** Sizes the contracts are written in. */
export interface ContractDims {
  /** LSTM hidden size H; for the stateless contracts, the prediction net's output width D. */
  readonly hiddenSize: number;
  readonly encoderDim: number;
  readonly jointDim: number;
  /**
   * model.json vocabSize; when given, the contracts with a decision bound their top-k width. The
   * stateless joint's `logit` width (required there).
   */
  readonly vocabSize?: number;
  /** Tokens of context K of a stateless prediction net (the stateless decoder contract). */
  readonly contextSize?: number;
}

const f32 = ['float32'] as const;
const f32or16 = ['float32', 'float16'] as const;
const i32 = ['int32'] as const;
/** Token ids of a stateless net: int64 as exported by icefall, int32 accepted. */
const i64or32 = ['int64', 'int32'] as const;

const stateInputs = (d: ContractDims): TensorSpec[] => [
  { name: 'targets', dtypes: i32, shape: ['B', 1] },
  { name: 'h_in', dtypes: f32, shape: [1, 'B', d.hiddenSize] },
  { name: 'c_in', dtypes: f32, shape: [1, 'B', d.hiddenSize] },
];
const stateOutputs = (d: ContractDims): TensorSpec[] => [
  { name: 'h_out', dtypes: f32or16, shape: [1, 'B', d.hiddenSize] },
  { name: 'c_out', dtypes: f32or16, shape: [1, 'B', d.hiddenSize] },
];
const decisionOutputs: TensorSpec[] = [
  { name: 'token_id', dtypes: i32, shape: ['B', 1, 1] },
  { name: 'token_prob', dtypes: f32or16, shape: ['B', 1, 1] },
];
/** Outputs whose last dim is a top-k width (extra outputs of joints and fused graphs). */
const topKOutputs = ['top_k_ids', 'top_k_logits'] as const;
const vocabBound = (d: ContractDims): { vocabSize?: number } =>
  d.vocabSize === undefined ? {} : { vocabSize: d.vocabSize };

const targetLength = (optional: boolean): TensorSpec => ({
  name: 'target_length',
  dtypes: i32,
  shape: ['B'],
  optional,
});

/** Contracts by file role. */
export const sessionContracts = {
  decoder: (d: ContractDims): SessionContract => ({
    inputs: [...stateInputs(d), targetLength(false)],
    outputs: [{ name: 'decoder', dtypes: f32or16, shape: ['B', d.hiddenSize, 1] }, ...stateOutputs(d)],
  }),
  joint: (d: ContractDims): SessionContract => ({
    inputs: [
      { name: 'encoder_step', dtypes: f32, shape: ['B', d.encoderDim, 1] },
      { name: 'decoder_step', dtypes: f32, shape: ['B', d.hiddenSize, 1] },
    ],
    outputs: decisionOutputs,
    ...vocabBound(d),
  }),
  fused: (d: ContractDims): SessionContract => ({
    inputs: [
      ...stateInputs(d),
      { name: 'encoder_step', dtypes: f32, shape: ['B', d.encoderDim, 1] },
      targetLength(true),
    ],
    outputs: [...decisionOutputs, ...stateOutputs(d)],
    ...vocabBound(d),
  }),
  projectedEncoder: (d: ContractDims): SessionContract => ({
    inputs: [{ name: 'encoder_frames', dtypes: f32, shape: ['T', d.encoderDim] }],
    outputs: [{ name: 'encoder_projected', dtypes: f32or16, shape: ['T', d.jointDim] }],
  }),
  projectedDecoder: (d: ContractDims): SessionContract => ({
    inputs: [...stateInputs(d), targetLength(true)],
    outputs: [{ name: 'decoder_projected', dtypes: f32or16, shape: ['B', d.jointDim] }, ...stateOutputs(d)],
  }),
  projectedJoint: (d: ContractDims): SessionContract => ({
    inputs: [
      { name: 'encoder_projected', dtypes: f32, shape: ['B', d.jointDim] },
      { name: 'decoder_projected', dtypes: f32, shape: ['B', d.jointDim] },
    ],
    outputs: decisionOutputs,
    ...vocabBound(d),
  }),
  /** A stateless prediction net (sherpa-onnx / icefall `decoder.onnx`): `y` [B,K] -> `decoder_out` [B,D]. */
  statelessDecoder: (d: ContractDims): SessionContract => ({
    inputs: [{ name: 'y', dtypes: i64or32, shape: ['B', d.contextSize ?? 'T'] }],
    outputs: [{ name: 'decoder_out', dtypes: f32or16, shape: ['B', d.hiddenSize] }],
  }),
  /** Its joint (`joiner.onnx`): `encoder_out` [B,E], `decoder_out` [B,D] -> `logit` [B,V]. */
  statelessJoint: (d: ContractDims): SessionContract => ({
    inputs: [
      { name: 'encoder_out', dtypes: f32, shape: ['B', d.encoderDim] },
      { name: 'decoder_out', dtypes: f32, shape: ['B', d.hiddenSize] },
    ],
    outputs: [{ name: 'logit', dtypes: f32or16, shape: ['B', d.vocabSize ?? 'T'] }],
  }),
} as const;

/** What {@link checkSession} learnt about a session. */
export interface SessionCheck {
  /** True when every batch dim is symbolic (any fixed 1 means one row only). */
  readonly batched: boolean;
  /** Names of the declared inputs (to know whether optional ones are fed). */
  readonly inputNames: ReadonlySet<string>;
  /** Declared dtype of each contract output the session has. */
  readonly outputDTypes: ReadonlyMap<string, TensorDType>;
}

const showShape = (shape: readonly (number | string)[]): string => `[${shape.join(',')}]`;

/**
 * Checks a session's declared inputs and outputs against a contract.
 * @throws RnntDecodeError `E_CONTRACT`, e.g. "decoder.onnx: input `h_in` expected float32 [1,B,640], got float32 [1,1,320]",
 *   or a top-k head wider than the contract's `vocabSize`
 */
export function checkSession(session: Session, contract: SessionContract): SessionCheck {
  const file = session.path;
  const fail = (field: string, message: string): never => {
    throw new RnntDecodeError('E_CONTRACT', `${file}: ${message}`, { file, field });
  };
  const batchDims: (number | string)[] = [];
  const check = (kind: 'input' | 'output', spec: TensorSpec, info: TensorInfo): void => {
    const expected = `${spec.dtypes.join(' or ')} ${showShape(spec.shape)}`;
    const mismatch = (): never =>
      fail(
        spec.name,
        `${kind} \`${spec.name}\` expected ${expected}, got ${info.dtype} ${showShape(info.shape)}`,
      );
    if (!spec.dtypes.includes(info.dtype)) mismatch();
    if (info.shape.length !== spec.shape.length) mismatch();
    spec.shape.forEach((want, i) => {
      const got = info.shape[i]!;
      if (want === 'T') return;
      if (want === 'B') {
        if (typeof got === 'number' && got !== 1 && got !== -1) mismatch();
        batchDims.push(got);
        return;
      }
      if (typeof got === 'number' && got !== -1 && got !== want) mismatch();
    });
  };
  const inputs = new Map(session.inputs.map((i) => [i.name, i]));
  const outputs = new Map(session.outputs.map((o) => [o.name, o]));
  for (const spec of contract.inputs) {
    const info = inputs.get(spec.name);
    if (info === undefined) {
      if (spec.optional === true) continue;
      fail(
        spec.name,
        `missing input \`${spec.name}\` (expected ${spec.dtypes[0]} ${showShape(spec.shape)}); declared: ${[...inputs.keys()].join(', ') || 'none'}`,
      );
    } else check('input', spec, info);
  }
  const known = new Set(contract.inputs.map((s) => s.name));
  for (const name of inputs.keys()) {
    if (!known.has(name)) {
      fail(
        name,
        `input \`${name}\` is not in the contract (expected ${contract.inputs.map((s) => s.name).join(', ')})`,
      );
    }
  }
  const outputDTypes = new Map<string, TensorDType>();
  for (const spec of contract.outputs) {
    const info = outputs.get(spec.name);
    if (info === undefined) {
      fail(
        spec.name,
        `missing output \`${spec.name}\` (expected ${spec.dtypes[0]} ${showShape(spec.shape)}); declared: ${[...outputs.keys()].join(', ') || 'none'}`,
      );
    } else {
      check('output', spec, info);
      outputDTypes.set(spec.name, info.dtype);
    }
  }
  const V = contract.vocabSize;
  for (const name of V === undefined ? [] : topKOutputs) {
    const shape = outputs.get(name)?.shape;
    const width = shape?.[shape.length - 1];
    if (typeof width === 'number' && width > V!) {
      fail(
        name,
        `output \`${name}\` has top-k width ${width} ${showShape(shape!)}, more than model.json vocabSize ${V}`,
      );
    }
  }
  // Batched only when every batch dim is symbolic; any fixed 1 pins the session to one row.
  const batched = batchDims.length > 0 && batchDims.every((d) => d !== 1);
  return { batched, inputNames: new Set(inputs.keys()), outputDTypes };
}

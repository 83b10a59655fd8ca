/**
 * The weights of a CoreML decoder / joint_decision pair, found by following the MIL graphs (not
 * by const names): the embedding is the const a `gather` indexes, the LSTM weights are the
 * `lstm` op's consts, and the joint's three `linear`s are told apart by shape (the one with V
 * rows is the output layer; of the other two, the one taking E inputs projects the encoder).
 * Returned both in MIL layout (for the MIL builders) and as the canonical ONNX builder weights.
 */
import type { CoreMLModel, MilOperation } from '@eou/coreml-format';
import { mainFunction, reorderGates } from '@eou/coreml-format';
import type { TensorValue } from '@eou/graph';
import { float16BitsToFloat32 } from '@eou/rnnt-decode/float16';
import type { DecoderWeights, JointWeights } from '../canonical/weights';
import { FusionError } from '../fusionError';

/** fp16/fp32 weights in MIL layout (LSTM gate blocks i,f,o,g; one combined bias). */
export interface MilDecoderJointWeights {
  readonly vocabSize: number;
  readonly hiddenSize: number;
  readonly encoderDim: number;
  readonly jointDim: number;
  readonly embed: TensorValue;
  readonly weightIh: TensorValue;
  readonly weightHh: TensorValue;
  readonly bias: TensorValue;
  readonly encWeight: TensorValue;
  readonly encBias: TensorValue;
  readonly predWeight: TensorValue;
  readonly predBias: TensorValue;
  readonly outWeight: TensorValue;
  readonly outBias: TensorValue;
}

function constValues(model: CoreMLModel): Map<string, TensorValue> {
  const out = new Map<string, TensorValue>();
  for (const op of mainFunction(model.program, model.path).operations) {
    if (op.type !== 'const') continue;
    const v = op.attributes.find((a) => a.name === 'val')?.value;
    const t = v?.kind === 'blob' ? v.data : v?.kind === 'tensor' ? v.data : undefined;
    if (t !== undefined && op.outputs[0]) out.set(op.outputs[0].name, t);
  }
  return out;
}

function arg(op: MilOperation, param: string): string | undefined {
  const b = op.inputs.find((a) => a.param === param)?.bindings[0];
  return b?.kind === 'name' ? b.name : undefined;
}

/**
 * Finds the pair's weights.
 * @throws {FusionError} E_CONVERT naming the model when the graph does not have that shape.
 */
export function milDecoderJointWeights(decoder: CoreMLModel, joint: CoreMLModel): MilDecoderJointWeights {
  const fail = (m: CoreMLModel, msg: string): never => {
    const file = m.path || 'model';
    throw new FusionError(`${file}: ${msg}`, 'E_CONVERT', { file });
  };
  const dc = constValues(decoder);
  const dOps = mainFunction(decoder.program, decoder.path).operations;
  const lstm = dOps.filter((o) => o.type === 'lstm');
  const gather = dOps.filter((o) => o.type === 'gather');
  if (lstm.length !== 1 || gather.length !== 1)
    fail(decoder, `a decoder has one gather and one lstm, found ${gather.length} and ${lstm.length}`);
  const get = (
    m: CoreMLModel,
    consts: Map<string, TensorValue>,
    op: MilOperation,
    param: string,
  ): TensorValue => {
    const t = consts.get(arg(op, param) ?? '');
    if (t === undefined) fail(m, `${op.type} argument ${param} must be a const`);
    return t!;
  };
  const embed = get(decoder, dc, gather[0]!, 'x');
  const weightIh = get(decoder, dc, lstm[0]!, 'weight_ih');
  const weightHh = get(decoder, dc, lstm[0]!, 'weight_hh');
  const bias = get(decoder, dc, lstm[0]!, 'bias');
  const [V, Hin] = embed.dims as [number, number];
  const H = weightHh.dims[1]!;
  const jc = constValues(joint);
  const linears = mainFunction(joint.program, joint.path)
    .operations.filter((o) => o.type === 'linear')
    .map((o) => ({ w: get(joint, jc, o, 'weight'), b: get(joint, jc, o, 'bias') }));
  if (linears.length !== 3) fail(joint, `a joint has three linear ops, found ${linears.length}`);
  const out = linears.find((l) => l.w.dims[0] === V);
  if (out === undefined)
    fail(joint, `no linear has ${V} output rows (the vocabulary of the decoder's embedding)`);
  const rest = linears.filter((l) => l !== out);
  // E != H tells the projections apart; when E == H the traced joint defines enc first
  const takesH = rest.filter((l) => l.w.dims[1] === H);
  const pred = takesH.length === 1 ? takesH[0] : rest[1];
  const enc = rest.find((l) => l !== pred);
  if (pred === undefined || enc === undefined || Hin !== H)
    fail(joint, `expected encoder and prediction projections taking E and ${H} inputs`);
  return {
    vocabSize: V,
    hiddenSize: H,
    encoderDim: enc!.w.dims[1]!,
    jointDim: enc!.w.dims[0]!,
    embed,
    weightIh,
    weightHh,
    bias,
    encWeight: enc!.w,
    encBias: enc!.b,
    predWeight: pred!.w,
    predBias: pred!.b,
    outWeight: out!.w,
    outBias: out!.b,
  };
}

function f32(t: TensorValue): Float32Array {
  if (t.dtype === 'float32') return (t.data as Float32Array).slice();
  if (t.dtype === 'float16') return Float32Array.from(t.data as Uint16Array, float16BitsToFloat32);
  throw new TypeError(`f32: weights must be fp16 or fp32, got ${t.dtype}`);
}

/**
 * The same weights as the canonical ONNX builders take (gate order i,o,f,c; `B` = [bias, zeros],
 * exact for inference since only Wb + Rb matters).
 */
export function onnxWeightsOfMil(w: MilDecoderJointWeights): {
  decoder: DecoderWeights;
  joint: JointWeights;
} {
  const H = w.hiddenSize;
  const B = new Float32Array(8 * H);
  B.set(reorderGates(f32(w.bias), H, 'coreml', 'onnx'), 0);
  return {
    decoder: {
      vocabSize: w.vocabSize,
      hiddenSize: H,
      embed: f32(w.embed),
      W: reorderGates(f32(w.weightIh), H, 'coreml', 'onnx'),
      R: reorderGates(f32(w.weightHh), H, 'coreml', 'onnx'),
      B,
    },
    joint: {
      vocabSize: w.vocabSize,
      hiddenSize: H,
      encoderDim: w.encoderDim,
      jointDim: w.jointDim,
      encWeight: f32(w.encWeight),
      encBias: f32(w.encBias),
      predWeight: f32(w.predWeight),
      predBias: f32(w.predBias),
      outWeight: f32(w.outWeight),
      outBias: f32(w.outBias),
    },
  };
}

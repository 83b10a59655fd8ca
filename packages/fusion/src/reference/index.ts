export {
  float16BitsToFloat32,
  float32ToFloat16Bits,
  fp16Round,
  fp16RoundInPlace,
  fromFloat16Array,
  toFloat16Array,
} from './fp16';
export { argmaxFirst, linear, lstmStep, relu, sigmoid, softmaxProb, topK } from './math';
export { referenceDecoderStep, referenceJointHidden, referenceJointStep } from './referenceModel';
export type { ReferenceDecoderOutput, ReferenceJointOutput } from './referenceModel';

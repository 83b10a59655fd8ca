/**
 * float32 <-> float16 for feeding and reading fp16 tensors (`Uint16Array` of IEEE half bits),
 * re-exported from the one implementation in `@eou/rnnt-decode/float16` (which loads nothing else).
 */
export { float16BitsToFloat32, float32ToFloat16Bits, fromFloat16, toFloat16 } from '@eou/rnnt-decode/float16';

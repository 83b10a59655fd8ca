/**
 * fp16 bits for MIL blobs and literals: the shared conversions of `@eou/rnnt-decode/float16`
 * (round to nearest even), under the names the CoreML modules use.
 */
export {
  float16BitsToFloat32 as fromHalfBits,
  float32ToFloat16Bits as toHalfBits,
} from '@eou/rnnt-decode/float16';

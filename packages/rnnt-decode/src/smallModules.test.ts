import { describe, expect, it } from 'vitest';
import { hashModel } from '../test/models';
import { createDecodeState, resetState } from './decodeState';
import { float16BitsToFloat32 as float16ToFloat32 } from './float16';
import { frameMsFor } from './timestamps';
import { variantFiles, variantSpec } from './variants';

describe(frameMsFor, () => {
  it("gives the seed's per-frame milliseconds for the three chunk schedules", () => {
    expect(frameMsFor(1280, 2)).toBe(40);
    expect(frameMsFor(5120, 4)).toBe(80);
    expect(frameMsFor(20480, 16)).toBe(80);
  });

  it('BAD CALL - rejects a zero validOutLen', () => {
    expect(() => frameMsFor(1280, 0)).toThrow(
      expect.objectContaining({
        name: 'RangeError',
        message: 'validOutLen must be a positive number, got 0',
      }),
    );
  });
});

describe(createDecodeState, () => {
  it('starts every row at zero state with last token = blank, and resetState clears one row', () => {
    const model = hashModel(
      { textVocab: 3, blankRate: 0, eouRate: 0, eobRate: 0, a: 1, b: 1 },
      { kind: 'projected', sync: true },
    );
    const state = createDecodeState(model, 5, 3);
    expect(Array.from(state.lastToken)).toEqual([5, 5, 5]);
    state.h.fill(1);
    state.lastToken.fill(2);
    state.predValid.fill(1);
    resetState(state, 1);
    expect(Array.from(state.h)).toEqual([1, 1, 0, 0, 1, 1]);
    expect(Array.from(state.lastToken)).toEqual([2, 5, 2]);
    expect(Array.from(state.predValid)).toEqual([1, 0, 1]);
    resetState(state);
    expect(Array.from(state.h).every((v) => v === 0)).toBe(true);
  });
});

describe(float16ToFloat32, () => {
  it('converts normals, subnormals, zeros, infinities and NaN', () => {
    expect([0x3c00, 0xc000, 0x7bff, 0x0001, 0x8000, 0x7c00, 0xfc00].map(float16ToFloat32)).toEqual([
      1,
      -2,
      65504,
      2 ** -24,
      -0,
      Infinity,
      -Infinity,
    ]);
    expect(float16ToFloat32(0x7e00)).toBeNaN();
  });
});

describe(variantSpec, () => {
  it('names each variant file with the directory extension', () => {
    expect(variantFiles(variantSpec('lean-topk'), 'mlmodelc')).toEqual({
      fused: 'decoder_joint_decision_fused_topk.mlmodelc',
    });
    expect(variantFiles(variantSpec('projected'), 'onnx')).toEqual({
      projectedEncoder: 'projected_encoder.onnx',
      projectedDecoder: 'projected_decoder.onnx',
      projectedJoint: 'projected_joint.onnx',
    });
  });

  it('BAD CALL - rejects inherited property names', () => {
    expect(() => variantSpec('toString')).toThrow(RangeError);
  });
});

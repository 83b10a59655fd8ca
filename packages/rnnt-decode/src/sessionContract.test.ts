import { describe, expect, it } from 'vitest';
import type { Session, TensorInfo } from './session';
import { checkSession, sessionContracts } from './sessionContract';

const d = { hiddenSize: 4, encoderDim: 3, jointDim: 5 };

function session(inputs: TensorInfo[], outputs: TensorInfo[]): Session {
  return { path: 'm.onnx', inputs, outputs, isSync: true, run: () => ({}), close: () => undefined };
}

const jointOutputs = (b: number | string): TensorInfo[] => [
  { name: 'token_id', dtype: 'int32', shape: [b, 1, 1] },
  { name: 'token_prob', dtype: 'float16', shape: [b, 1, 1] },
  { name: 'top_k_ids', dtype: 'int32', shape: [b, 1, 1, 4] },
];

describe(checkSession, () => {
  it('accepts symbolic and unknown dims, extra outputs and float16 probabilities', () => {
    const s = session(
      [
        { name: 'encoder_step', dtype: 'float32', shape: ['batch', 'E', 1] },
        { name: 'decoder_step', dtype: 'float32', shape: [-1, 4, -1] },
      ],
      jointOutputs('batch'),
    );
    const check = checkSession(s, sessionContracts.joint(d));
    expect(check.batched).toBe(true);
    expect(check.outputDTypes.get('token_prob')).toBe('float16');
  });

  it('pins a session with any fixed batch dim of 1 to one row', () => {
    const s = session(
      [
        { name: 'encoder_step', dtype: 'float32', shape: [1, 3, 1] },
        { name: 'decoder_step', dtype: 'float32', shape: ['B', 4, 1] },
      ],
      jointOutputs('B'),
    );
    expect(checkSession(s, sessionContracts.joint(d)).batched).toBe(false);
  });

  it('EXPECTED FAILURE - a fixed batch dim other than 1 is refused', () => {
    const s = session(
      [
        { name: 'encoder_step', dtype: 'float32', shape: [4, 3, 1] },
        { name: 'decoder_step', dtype: 'float32', shape: [4, 4, 1] },
      ],
      jointOutputs(4),
    );
    expect(() => checkSession(s, sessionContracts.joint(d))).toThrow(
      expect.objectContaining({
        name: 'RnntDecodeError',
        code: 'E_CONTRACT',
        message: 'm.onnx: input `encoder_step` expected float32 [B,3,1], got float32 [4,3,1]',
      }),
    );
  });

  it('bounds a top-k head by vocabSize only when the contract has one, accepting symbolic widths', () => {
    const s = (k: number | string) =>
      session(
        [
          { name: 'encoder_step', dtype: 'float32', shape: [1, 3, 1] },
          { name: 'decoder_step', dtype: 'float32', shape: [1, 4, 1] },
        ],
        [...jointOutputs(1).slice(0, 2), { name: 'top_k_logits', dtype: 'float32', shape: [1, 1, 1, k] }],
      );
    expect(() => checkSession(s(9), sessionContracts.joint(d))).not.toThrow();
    expect(() => checkSession(s(4), sessionContracts.joint({ ...d, vocabSize: 4 }))).not.toThrow();
    expect(() => checkSession(s('K'), sessionContracts.joint({ ...d, vocabSize: 4 }))).not.toThrow();
  });

  it('EXPECTED FAILURE - a top-k head wider than model.json vocabSize is refused naming both widths', () => {
    const s = session(
      [
        { name: 'encoder_step', dtype: 'float32', shape: [1, 3, 1] },
        { name: 'decoder_step', dtype: 'float32', shape: [1, 4, 1] },
      ],
      jointOutputs(1),
    );
    expect(() => checkSession(s, sessionContracts.joint({ ...d, vocabSize: 3 }))).toThrow(
      expect.objectContaining({
        name: 'RnntDecodeError',
        code: 'E_CONTRACT',
        file: 'm.onnx',
        field: 'top_k_ids',
        message: 'm.onnx: output `top_k_ids` has top-k width 4 [1,1,1,4], more than model.json vocabSize 3',
      }),
    );
  });

  it('EXPECTED FAILURE - a missing input lists the declared ones', () => {
    const s = session(
      [{ name: 'encoder_frames', dtype: 'float32', shape: ['T', 2] }],
      [{ name: 'encoder_projected', dtype: 'float32', shape: ['T', 5] }],
    );
    expect(() => checkSession(s, sessionContracts.projectedEncoder(d))).toThrow(
      'm.onnx: input `encoder_frames` expected float32 [T,3], got float32 [T,2]',
    );
    expect(() => checkSession(session([], []), sessionContracts.projectedEncoder(d))).toThrow(
      'm.onnx: missing input `encoder_frames` (expected float32 [T,3]); declared: none',
    );
  });
});

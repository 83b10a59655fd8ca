import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { eouDir, fixturesNote, haveFixtures, sileroMlmodelc, sileroMlpackage } from '../test/coremlFixtures';
import { CoreMLFormatError } from './coremlFormatError';
import { convertModel, detectModelFormat, inspectModel } from './inspectModel';

const tmp = mkdtempSync(join(tmpdir(), 'eou-inspect-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('detectModelFormat', () => {
  it('EXPECTED FAILURE - a directory that is neither package nor compiled model', () => {
    expect(() => detectModelFormat(tmp)).toThrow(CoreMLFormatError);
    expect(() => detectModelFormat(tmp)).toThrow(
      /must be an \.mlpackage \(Manifest\.json\) or an ML Program \.mlmodelc/,
    );
  });
});

describe.skipIf(!haveFixtures)(`inspectModel on the shared fixtures${fixturesNote}`, () => {
  it('summarises the shipped EOU decoder without its weights, with the histogram coremlc recorded', () => {
    const s = inspectModel(join(eouDir, 'decoder.mlmodelc'));
    expect(s.weightsMissing).toBe(true);
    // metadata.json: Ios17.squeeze 2, gather 1, cast 6, lstm 1, transpose 2, Identity 1, expandDims 2
    expect(s.ops).toEqual({
      cast: 6,
      expand_dims: 2,
      gather: 1,
      identity: 1,
      lstm: 1,
      squeeze: 2,
      transpose: 2,
    });
    // embedding [1027,640] + two [2560,640] LSTM matrices + [2560] bias, all fp16
    expect(s.weightBytes.float16).toBe((1027 * 640 + 2 * 2560 * 640 + 2560) * 2);
    expect(s.inputs.map((i) => i.name)).toEqual(['targets', 'target_length', 'h_in', 'c_in']);
  });

  it('gives the same summary for the Silero .mlmodelc and .mlpackage, except the path and format', () => {
    const strip = (x: ReturnType<typeof inspectModel>) => ({ ...x, path: '', format: '', metadata: {} });
    expect(strip(inspectModel(sileroMlmodelc))).toEqual(strip(inspectModel(sileroMlpackage)));
  });

  it('converts the Silero VAD to ONNX that inspects as the same inputs and outputs', () => {
    const out = convertModel(sileroMlpackage, { to: 'onnx', out: join(tmp, 'vad.onnx') });
    const onnx = inspectModel(out);
    const coreml = inspectModel(sileroMlpackage);
    expect(onnx.inputs).toEqual(coreml.inputs);
    expect(onnx.outputs).toEqual(coreml.outputs);
    expect(onnx.ops.LSTM).toBe(1);
  });
});

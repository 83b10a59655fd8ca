/**
 * The zipformer encoder exactly as published (`encoder.int8.as-shipped.onnx`): each downsample
 * block appends a padding frame the traced graph never needed, and `/downsample/Reshape_1` fails
 * inside ONNX Runtime on the first chunk. The toolkit must say so in one line naming the file and
 * the node (no crash, no stack, nothing of ONNX Runtime's own on stderr: see @eou/onnx-runtime).
 */
import { join } from 'node:path';
import { openOnnxSession, OnnxRuntimeError } from '@eou/onnx-runtime';
import { describe, expect, it } from 'vitest';
import { requireFixture, zipformerDir } from '../test/paths';
import { openZipformerPipeline } from '../test/zipformerPipeline';
import { createStreamingEncoder, transcribe, zipformerStreamingEncoderSpec } from './index';

const fixture = requireFixture(zipformerDir);

describe.skipIf(!fixture.present)(`the as-shipped zipformer encoder${fixture.note}`, () => {
  it('BAD INPUT - loads, then fails on its first chunk with one line naming the file and the node', async () => {
    const file = join(zipformerDir, 'encoder.int8.as-shipped.onnx');
    const session = await openOnnxSession(file);
    const pipeline = await openZipformerPipeline(zipformerDir);
    try {
      const encoder = createStreamingEncoder(session, zipformerStreamingEncoderSpec);
      const error = await transcribe(new Float32Array(16000), { ...pipeline.options, encoder }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(OnnxRuntimeError);
      const e = error as OnnxRuntimeError;
      expect([e.code, e.file, e.node]).toEqual(['E_RUN', file, '/downsample/Reshape_1']);
      expect(e.message).toBe(
        `${file}: ONNX Runtime failed in node \`/downsample/Reshape_1\` (Reshape): The input tensor cannot be reshaped to the requested shape. Input shape:{17,1,128}, requested shape:{8,2,1,128}`,
      );
    } finally {
      await session.close();
      await pipeline.close();
    }
  });
});

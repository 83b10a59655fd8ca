import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sharedFixture } from '@eou/test-support';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../test/helpers';

const tmp = mkdtempSync(join(tmpdir(), 'eou-cli-model-dir-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const zipformer = sharedFixture('zipformer-kws-gigaspeech-3.3M');
const parakeet = sharedFixture('parakeet-eou-160ms');

describe.skipIf(zipformer === undefined || parakeet === undefined)(
  `eou inspect DIR and eou model-json on the real directories without model.json${zipformer === undefined || parakeet === undefined ? ' (SKIPPED: shared fixtures absent)' : ''}`,
  () => {
    it('describes the sherpa-onnx zipformer: layout, encoder states, stateless net, endpoint rules, variants', async () => {
      const r = await runCli(['inspect', zipformer!]);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(
        'layout     sherpa-onnx (no model.json: derived from encoder.int8.onnx, decoder.onnx, joiner.onnx, tokens.txt',
      );
      expect(r.stdout).toContain(
        'encoder    encoder.int8.onnx: x -> encoder_out, 38 states; schedule zipformer2-320ms',
      );
      expect(r.stdout).toContain(
        'decoder    stateless (context 2, start [-1, 0]), H 320, E 320, V 500, blank 0, EOU none, unk 2 (decoded as blank), at most 1 per frame, 40 ms frames',
      );
      expect(r.stdout).toContain('int8-both    present   decoder.int8.onnx + joiner.int8.onnx');
      const json = JSON.parse((await runCli(['inspect', zipformer!, '--json'])).stdout);
      expect(json.encoder.states).toHaveLength(38);
      expect(json.vocab).toEqual({ file: 'tokens.txt', pieces: 500 });
    });

    it('writes the derived model.json atomically, and the copy then reads as an ordinary model.json directory', async () => {
      const copy = join(tmp, 'zipformer');
      cpSync(zipformer!, copy, { recursive: true });
      const w = await runCli(['model-json', copy]);
      expect(w.code).toBe(0);
      expect(w.stderr).toBe(
        `eou model-json: wrote ${join(copy, 'model.json')} (derived from encoder.int8.onnx, decoder.onnx, joiner.onnx, tokens.txt)\n`,
      );
      const printed = await runCli(['model-json', zipformer!, '--out', '-']);
      expect(JSON.parse(printed.stdout)).toEqual(JSON.parse(readFileSync(join(copy, 'model.json'), 'utf8')));
      expect((await runCli(['inspect', copy])).stdout).toContain('layout     model.json\n');
    });

    it('derives the FluidAudio Parakeet folder from its graphs and vocab.json', async () => {
      const out = join(tmp, 'parakeet.model.json');
      expect((await runCli(['model-json', parakeet!, '--out', out])).code).toBe(0);
      expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({
        blankId: 1026,
        eouId: 1024,
        eobId: 1025,
        vocabSize: 1027,
        hiddenSize: 640,
        encoderDim: 512,
        ext: 'mlmodelc',
      });
    });
  },
);

describe('eou inspect DIR and eou model-json on directories that cannot be read', () => {
  it('EXPECTED FAILURE - no layout, or a FluidAudio folder without vocab.json, is one line naming what is missing (exit 2)', async () => {
    const empty = join(tmp, 'empty');
    mkdirSync(empty);
    const r = await runCli(['inspect', empty]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `eou inspect: ${empty}: not a model directory: no model.json, no sherpa-onnx transducer (encoder*.onnx, decoder*.onnx, joiner*.onnx, tokens.txt), no FluidAudio Parakeet folder (decoder.mlmodelc, joint_decision.mlmodelc, vocab.json); \`eou synth-model\` writes an example\n`,
    );
    const fluid = join(tmp, 'fluid');
    mkdirSync(join(fluid, 'decoder.mlmodelc'), { recursive: true });
    mkdirSync(join(fluid, 'joint_decision.mlmodelc'), { recursive: true });
    const m = await runCli(['model-json', fluid]);
    expect(m.code).toBe(2);
    expect(m.stderr).toBe(
      `eou model-json: ${fluid}: a FluidAudio Parakeet folder needs vocab.json (token id -> piece), not found; copy it from the release next to the graphs (FluidAudio ships it beside the .mlmodelc folders)\n`,
    );
    expect(existsSync(join(fluid, 'model.json'))).toBe(false);
  });

  it('EXPECTED FAILURE - an unwritable --out leaves nothing behind and names the fix', async () => {
    const dir = join(tmp, 'canon');
    mkdirSync(dir);
    writeFileSync(
      join(dir, 'model.json'),
      JSON.stringify({
        format: 'eou-model/1',
        blankId: 2,
        eouId: 1,
        vocabSize: 3,
        hiddenSize: 4,
        encoderDim: 4,
      }),
    );
    const out = join(tmp, 'missing-dir', 'model.json');
    const r = await runCli(['model-json', dir, '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `eou model-json: ${out}: cannot write the model.json (ENOENT); pass --out FILE to write it elsewhere\n`,
    );
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseModelConfig } from '@eou/rnnt-decode';
import { defaultGateRules } from '@eou/wer';
import { afterAll, describe, expect, it } from 'vitest';
import { makeCorpus, makeModel } from '../test/fixture';
import { createFileDecoder } from './fileDecoder';
import { toFileResult } from './fileResult';
import { flipMargins } from './flipMargins';
import type { GateSettings } from './settings';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'eou-flips-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe(flipMargins, () => {
  it('records the reference margin at each teacher-forced flip of files whose tokens differ', async () => {
    // A lean file from other weights: its decisions differ from ref's on most files.
    const model = makeModel(path.join(root, 'model'), 7, []);
    const other = makeModel(path.join(root, 'other'), 8, ['lean']);
    fs.copyFileSync(
      path.join(other, 'decoder_joint_decision_fused.onnx'),
      path.join(model, 'decoder_joint_decision_fused.onnx'),
    );
    const corpus = makeCorpus(path.join(root, 'corpus'), model, { files: 6 });
    const settings: GateSettings = {
      modelDir: model,
      dataDir: corpus,
      reference: 'ref',
      candidates: ['lean'],
      rules: defaultGateRules,
      blowupFraction: 0.2,
      maxFailedFiles: 0,
      normalizer: 'harness',
      eouPolicy: 'reset',
    };
    const entries = fs
      .readFileSync(path.join(corpus, 'manifest.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; text: string; frames: string });
    const decoder = await createFileDecoder({
      modelDir: model,
      variants: ['ref', 'lean'],
      eouPolicy: 'reset',
    });
    const files = [];
    const framesById = new Map<string, string>();
    for (const [i, e] of entries.entries()) {
      const framesPath = path.join(corpus, e.frames);
      framesById.set(e.id, framesPath);
      files.push(
        toFileResult(
          { id: e.id, text: e.text, frames: e.frames, line: i + 1, extra: {} },
          i,
          await decoder.decodeFile(framesPath),
          settings,
        ),
      );
    }
    await decoder.close();
    const differing = files.filter((f) => f.variants.lean!.seqDiff).length;
    expect(differing).toBeGreaterThan(0);

    const config = parseModelConfig(fs.readFileSync(path.join(model, 'model.json'), 'utf8'), 'model.json');
    const [lean] = await flipMargins(settings, config, files, framesById);
    expect(lean!.variant).toBe('lean');
    expect(lean!.filesChecked).toBe(differing);
    expect(lean!.margins.length).toBeGreaterThan(0);
    expect(lean!.margins.every((m) => Number.isFinite(m) && m >= 0)).toBe(true);
  });
});

/**
 * The embedded tiny EOU model (assets/tiny-eou), trained by tools/tiny-eou: a real transducer
 * decodes shipped test utterances to their transcripts, and `eou wer-gate` on the shipped sets
 * reproduces the figures of its model card (card.json, written by `recipe.py card`).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readManifest, runCli } from '../../test/helpers';
import { embeddedModelDir, embeddedSetDir, embeddedSetNames } from '../embeddedDefault';
import type { GateReport } from '@eou/gate';

interface Entry {
  id: string;
  text: string;
  frames: string;
  speech_end?: number;
}
interface Card {
  sets: Record<string, { utterances: number; words: number; errors: Record<string, number> }>;
}

// Utterances the shipped model decodes exactly (most do not: see the WER in its model card).
const HELD_OUT_ID = 'test-00152'; // "when you are muted you can not send audio to other participants"
const ASTERISK_ID = 'followme__pls-hold-while-try'; // "please hold while i try to locate the person you are calling"

const entry = (set: string, id: string) => {
  const e = readManifest<Entry>(embeddedSetDir(set)).find((u) => u.id === id);
  if (!e) throw new Error(`${set}: no utterance ${id}`);
  return e;
};

let root: string;
let env: NodeJS.ProcessEnv;
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'eou-embedded-'));
  env = { ...process.env, EOU_CACHE_DIR: path.join(root, 'cache') };
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const decode = async (set: string, u: Entry) => {
  const r = await runCli(['decode', '--frames', path.join(embeddedSetDir(set), u.frames), '--json']);
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as { text: string; eou: number[] };
};

describe('the embedded tiny EOU model', () => {
  it('decodes a held-out synthetic voice to its transcript, the EOU within a second after the speech', async () => {
    const u = entry('synth-heldout', HELD_OUT_ID);
    const out = await decode('synth-heldout', u);
    expect(out.text).toBe(u.text);
    // An EOU fires at the end of its 80 ms frame.
    const eouSeconds = (out.eou[0]! + 1) * 0.08;
    expect(eouSeconds).toBeGreaterThan(u.speech_end!);
    expect(eouSeconds).toBeLessThan(u.speech_end! + 1);
  });

  it('decodes a real human recording (Asterisk prompt) to its transcript', async () => {
    const u = entry('asterisk', ASTERISK_ID);
    expect((await decode('asterisk', u)).text).toBe(u.text);
  });

  it("reproduces the model card's WER on every shipped set, with both EOU policies", async () => {
    const card = JSON.parse(fs.readFileSync(path.join(embeddedModelDir(), 'card.json'), 'utf8')) as Card;
    expect(Object.keys(card.sets).sort()).toEqual([...embeddedSetNames].sort());
    for (const set of embeddedSetNames) {
      for (const policy of ['reset', 'stop-chunk']) {
        const out = path.join(root, `gate-${set}-${policy}`);
        const r = await runCli(
          [
            'wer-gate',
            '--set',
            set,
            '--eou-policy',
            policy,
            '--candidates',
            'cached',
            '--out',
            out,
            '--json',
          ],
          { env },
        );
        expect(r.code).toBe(0);
        const report = JSON.parse(r.stdout) as GateReport;
        const ref = report.variants[0]!;
        expect({
          set,
          policy,
          files: report.corpus.scoredFiles,
          words: report.corpus.words,
          errors: ref.errors,
        }).toEqual({
          set,
          policy,
          files: card.sets[set]!.utterances,
          words: card.sets[set]!.words,
          errors: card.sets[set]!.errors[policy],
        });
      }
    }
  }, 120_000);

  it('is the default gate: ref, pipeline and lean built from the shipped weights, token-identical', async () => {
    const out = path.join(root, 'default-gate');
    const r = await runCli(['wer-gate', '--files', '40', '--out', out, '--json'], { env });
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as GateReport;
    expect(report.verdict.pass).toBe(true);
    expect(report.variants.map((v) => [v.name, v.seqDiffVsRef ?? 0])).toEqual([
      ['ref', 0],
      ['pipeline', 0],
      ['lean', 0],
    ]);
    expect(r.stderr).toMatch(/building the lean variant from the shipped weights/);
  }, 120_000);
});

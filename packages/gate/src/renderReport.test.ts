import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { capturePage, findChromium } from '../test/chromium';
import { differingGateReport } from '../test/differingGate';
import { REPORT_FORMAT, type GateReport } from './gateReport';
import { renderHtml, renderMarkdown } from './renderReport';

export function sampleReport(): GateReport {
  return {
    format: REPORT_FORMAT,
    verdict: {
      pass: false,
      rules: [
        {
          name: 'delta-wer',
          variant: 'lean',
          metric: 'deltaWerPp',
          op: '<=',
          threshold: 0.1,
          value: 0.043,
          pass: true,
        },
        {
          name: 'no-blowups',
          variant: 'lean',
          metric: 'blowups',
          op: '==',
          threshold: 0,
          value: 1,
          pass: false,
        },
      ],
    },
    reference: 'ref',
    variants: [
      {
        name: 'ref',
        role: 'reference',
        wer: 0.35646,
        errors: 18741,
        words: 52576,
        substitutions: 9000,
        deletions: 8000,
        insertions: 1741,
        meanFileWer: 0.361,
        seqDiffVsRef: 0,
        deltaWerPp: 0,
      },
      {
        name: 'lean',
        role: 'candidate',
        wer: 0.35689,
        errors: 18764,
        words: 52576,
        substitutions: 9010,
        deletions: 8010,
        insertions: 1744,
        meanFileWer: 0.362,
        seqDiffVsRef: 278,
        deltaWerPp: 0.043,
      },
    ],
    blowups: [
      { variant: 'lean', id: '6930-75918-0020', words: 38, refErrors: 20, errors: 32, deltaPp: 31.6 },
    ],
    blowupFraction: 0.2,
    worstDeltas: [
      { variant: 'lean', id: '6930-75918-0020', words: 38, refErrors: 20, errors: 32, deltaPp: 31.6 },
    ],
    significance: [
      {
        variant: 'lean',
        mapsswe: { z: 0.8, p: 0.42, segments: 900 },
        signTest: { better: 120, worse: 130, ties: 2370, p: 0.57 },
        bootstrap: { level: 0.95, low: -0.02, high: 0.11, resamples: 1000, seed: 1 },
      },
    ],
    flipMargins: [{ variant: 'lean', margins: [0.001, 0.004, 0.01, 0.002], filesChecked: 278 }],
    corpus: {
      files: 2620,
      scoredFiles: 2620,
      words: 52576,
      failed: [{ id: 'x', reason: 'x.npy: NaN at frame 3' }],
      normalizer: 'harness',
      eouPolicy: 'reset',
    },
    perFileDeltas: { lean: [0, 0, 1, -1, 12, 0, 2] },
    perFileErrors: { ref: [1, 2, 0, 3, 4, 1, 0], lean: [1, 2, 1, 2, 16, 1, 2] },
    perFileWords: [10, 12, 5, 20, 38, 9, 7],
    alignedExamples: [],
    execution: {
      mode: 'worker-threads',
      resumedFiles: 0,
      workers: 2,
      identicalCheck: 'checked identical to in-process decoding on 2 files',
    },
    timing: {
      wallSec: 420,
      peakRssMiB: 310,
      variants: [{ variant: 'ref', totalMs: 1000, medianFileMs: 50, p90FileMs: 70, rtfx: 120 }],
      perFileMs: { ref: [40, 50, 60], lean: [30, 35, 41] },
    },
    provenance: {
      command: 'eou wer-gate',
      model: { dir: '/m', files: { 'decoder.onnx': 'ab'.repeat(32) } },
      data: { dir: '/d', manifestSha256: 'cd'.repeat(32) },
      settingsHash: 'ef'.repeat(32),
      versions: { '@eou/cli': '0.1.0' },
      shards: ['1/1'],
      generatedAt: '2026-11-24T00:00:00.000Z',
    },
  };
}

describe(renderMarkdown, () => {
  it('leads with the verdict and lists every rule with threshold and value', () => {
    const md = renderMarkdown(sampleReport());
    expect(md.split('\n')[2]).toMatch(/^\*\*FAIL: reference ref on 2620 files/);
    expect(md).toContain('| no-blowups | lean | blowups | == 0 | 1 | **FAIL** |');
    expect(md).toContain('| delta-wer | lean | deltaWerPp | <= 0.1 | 0.0430 | pass |');
    expect(md).toContain('6930-75918-0020');
    expect(md).toContain('x.npy: NaN at frame 3');
    expect(md).toContain(
      "`ref` is decoded with the prediction-net cache (the same decisions as recomputing it), so its time is the cached loop's.",
    );
  });

  it('names the EOU policy in the verdict line only for a model with an <EOU> token', () => {
    const withToken = sampleReport();
    const md = (r: GateReport) => renderMarkdown(r).split('\n')[2]!;
    expect(md({ ...withToken, corpus: { ...withToken.corpus, eouId: 1024 } })).toContain(
      '(harness normaliser, EOU reset); lean',
    );
    const without = { ...withToken, corpus: { ...withToken.corpus, eouPolicy: 'stop-chunk', eouId: null } };
    expect(md(without)).toContain('(harness normaliser, no EOU token: the EOU policy has no effect); lean');
    expect(md(without)).not.toMatch(/EOU stop-chunk/);
    expect(renderHtml(without)).toContain('no EOU token: the EOU policy has no effect');
    expect(renderHtml(without)).not.toMatch(/EOU stop-chunk/);
  });
});

const chromium = findChromium();
if (!chromium && process.env.EOU_REQUIRE_CHROMIUM === '1') {
  throw new Error(
    'EOU_REQUIRE_CHROMIUM=1 but no Chromium was found (apt-get install chromium, or set CHROMIUM_PATH)',
  );
}

describe('reports of a gate with differing candidates', () => {
  const report = differingGateReport();

  it('lists blowups first, then the worst deltas, each with the reference and both hypotheses aligned', () => {
    const lean = report.alignedExamples.filter((e) => e.variant === 'lean');
    expect(lean.length).toBe(10);
    const firstWorst = lean.findIndex((e) => e.listedAs === 'worst');
    expect(lean.slice(0, firstWorst).every((e) => e.listedAs === 'blowup')).toBe(true);
    expect(firstWorst).toBe(report.blowups.filter((b) => b.variant === 'lean').length);
    for (const e of report.alignedExamples) {
      const [ref, cand] = e.hypotheses;
      expect(ref.variant).toBe('ref');
      expect(cand.variant).toBe(e.variant);
      expect(cand.errors - ref.errors).toBe(e.deltaErrors);
    }
    expect(report.alignedExamples.some((e) => e.variant === 'lean-topk')).toBe(true);
  });

  it('shows the aligned text in Markdown under the worst deltas, with S/D/I marks', () => {
    const md = renderMarkdown(report);
    const at = md.indexOf('## Worst files, aligned');
    expect(at).toBeGreaterThan(md.indexOf('## Worst per-file deltas'));
    expect(at).toBeLessThan(md.indexOf('## Significance'));
    const e = report.alignedExamples[0]!;
    const block = md.slice(at).split('```text\n')[1]!.split('```')[0]!;
    const lines = block.split('\n');
    expect(lines[0]).toMatch(/^REF +\S/);
    expect(lines.some((l) => l.startsWith('ref '))).toBe(true);
    expect(lines.some((l) => l.startsWith('lean '))).toBe(true);
    expect(block).toMatch(/\bD\b/);
    expect(md).toContain(`**lean · ${e.id} · blowup · ${e.words} words · +${e.deltaErrors} errors`);
  });

  it('sorts the worst-delta table by the Δ errors it shows, and the blowups by Δ pp', () => {
    const md = renderMarkdown(report);
    const rows = (title: string) =>
      md
        .slice(md.indexOf(title))
        .split('\n\n')[1]!
        .split('\n')
        .slice(2)
        .map((r) => r.split(' | '));
    const worst = rows('## Worst per-file deltas').map((r) => Number(r[5]));
    expect(worst).toEqual([...worst].sort((a, b) => b - a));
    const blowups = rows('## Blowups').map((r) => parseFloat(r[6]!));
    expect(blowups).toEqual([...blowups].sort((a, b) => b - a));
  });

  it('gives each variant one colour in every plot', () => {
    const html = renderHtml(report);
    const svgs = html.match(/<svg [\s\S]*?<\/svg>/g)!;
    expect(svgs).toHaveLength(5);
    const legendColor = (svg: string, name: string) =>
      new RegExp(`fill="(#[0-9a-f]{6})"/><text [^>]*>${name}</text>`).exec(svg)?.[1];
    for (const name of ['lean', 'lean-topk']) {
      const colors = new Set(svgs.map((svg) => legendColor(svg, name)).filter(Boolean));
      expect(colors.size, name).toBe(1);
    }
    expect(legendColor(svgs[0], 'lean')).not.toBe(legendColor(svgs[0], 'lean-topk'));
  });
});

describe.skipIf(!chromium)('renderHtml in headless Chromium', () => {
  it('opens without errors and renders its plots', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eou-report-'));
    const html = path.join(dir, 'report.html');
    fs.writeFileSync(html, renderHtml(sampleReport()));
    const page = capturePage(chromium!, html, path.join(dir, 'report.png'));
    expect(page.dom).toContain('id="verdict"');
    expect(page.dom.match(/<svg [^>]*class="plot"/g)).toHaveLength(5);
    const plots = page.dom.slice(
      page.dom.indexOf('id="plots"'),
      page.dom.indexOf('</div>', page.dom.indexOf('id="plots"')),
    );
    expect(plots).not.toMatch(/NaN|Infinity|undefined/);
    expect(page.screenshot.subarray(1, 4).toString()).toBe('PNG');
    expect(page.screenshot.length).toBeGreaterThan(20_000);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('shows the aligned text of the worst files and the new plots of a gate with differing candidates', () => {
    // Kept in test-results/ so a person can look at it (CI uploads that folder).
    const dir = path.resolve(import.meta.dirname, '../test-results/report-screenshot');
    fs.mkdirSync(dir, { recursive: true });
    const report = differingGateReport();
    const html = path.join(dir, 'report.html');
    fs.writeFileSync(html, renderHtml(report));
    const page = capturePage(chromium!, html, path.join(dir, 'report.png'), { width: 1200, height: 3600 });
    const aligned = page.dom.slice(page.dom.indexOf('id="aligned"'), page.dom.indexOf('id="plots"'));
    expect(aligned.match(/<figure class="aligned">/g)).toHaveLength(report.alignedExamples.length);
    const first = report.alignedExamples[0]!;
    expect(aligned).toContain(first.id);
    for (const w of first.reference.slice(0, 3)) expect(aligned).toContain(`>${w}<`);
    expect(aligned).toMatch(/class="ahyp opD"[^>]*>\*<sup>D<\/sup>/);
    expect(aligned).toMatch(/class="ahyp opS"/);
    expect(page.dom).toContain('aria-label="Errors per file: ref (x) vs each candidate (y)"');
    expect(page.dom).toContain('aria-label="WER by utterance length (files in bins of about equal count)"');
    expect(page.dom.match(/<circle /g)!.length).toBeGreaterThan(10);
    expect(page.screenshot.subarray(1, 4).toString()).toBe('PNG');
    expect(page.screenshot.length).toBeGreaterThan(100_000);
  });
});

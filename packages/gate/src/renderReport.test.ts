import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { capturePage, findChromium } from '../test/chromium';
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
});

const chromium = findChromium();
if (!chromium && process.env.EOU_REQUIRE_CHROMIUM === '1') {
  throw new Error(
    'EOU_REQUIRE_CHROMIUM=1 but no Chromium was found (apt-get install chromium, or set CHROMIUM_PATH)',
  );
}

describe.skipIf(!chromium)('renderHtml in headless Chromium', () => {
  it('opens without errors and renders its three plots', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eou-report-'));
    const html = path.join(dir, 'report.html');
    fs.writeFileSync(html, renderHtml(sampleReport()));
    const page = capturePage(chromium!, html, path.join(dir, 'report.png'));
    expect(page.dom).toContain('id="verdict"');
    expect(page.dom.match(/<svg [^>]*class="plot"/g)).toHaveLength(3);
    const plots = page.dom.slice(page.dom.indexOf('id="plots"'), page.dom.indexOf('</div>'));
    expect(plots).not.toMatch(/NaN|Infinity|undefined/);
    expect(page.screenshot.subarray(1, 4).toString()).toBe('PNG');
    expect(page.screenshot.length).toBeGreaterThan(20_000);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

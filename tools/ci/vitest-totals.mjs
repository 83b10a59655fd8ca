#!/usr/bin/env node
// Sums the vitest JSON reports of every project (`<project>/test-results/vitest.json`) into the
// one plain line CI reads: "N passed, N failed". A suite that failed outside its
// tests (load error, failing hook) counts as one failure.
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
let passed = 0;
let failed = 0;
let skipped = 0;
const missing = [];
for (const group of ['packages', 'apps', 'tools']) {
  const dir = path.join(root, group);
  if (!fs.existsSync(dir)) continue;
  for (const name of fs.readdirSync(dir).sort()) {
    if (!fs.existsSync(path.join(dir, name, 'package.json'))) continue;
    const file = path.join(dir, name, 'test-results', 'vitest.json');
    if (!fs.existsSync(file)) {
      missing.push(`${group}/${name}`);
      continue;
    }
    const report = JSON.parse(fs.readFileSync(file, 'utf8'));
    passed += report.numPassedTests ?? 0;
    failed += report.numFailedTests ?? 0;
    skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
    for (const suite of report.testResults ?? []) {
      // A suite that failed outside its tests (load error, a hook that threw or timed out) leaves
      // its tests skipped or absent; count the suite itself so the totals agree with the exit code.
      const tests = suite.assertionResults ?? [];
      if (suite.status === 'failed' && !tests.some((t) => t.status === 'failed')) failed += 1;
    }
  }
}
if (missing.length) {
  console.error(`no vitest report for: ${missing.join(', ')} (their tests did not run)`);
  failed += missing.length;
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exitCode = failed > 0 ? 1 : 0;

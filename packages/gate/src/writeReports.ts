/** Writes `report.json`, `report.md` and `report.html`, each atomically. */
import fs from 'node:fs';
import path from 'node:path';
import type { GateReport } from './gateReport';
import { renderHtml, renderMarkdown } from './renderReport';
import { removeStaleTemps } from './tempSiblings';
import { writeAtomic } from './writeAtomic';
import { writingTo } from './writeFailure';

/**
 * The three reports of `report` in `outDir` (created if missing).
 * @throws {GateError} `E_WRITE_FAILED` naming the report the file system refused (its temp file removed)
 */
export function writeReports(outDir: string, report: GateReport): void {
  writingTo(outDir, () => fs.mkdirSync(outDir, { recursive: true }));
  const write = (name: string, text: string) => {
    const file = path.join(outDir, name);
    // Temps of a run killed mid-write (`report.json.tmp-<pid>` of a dead pid) go first.
    removeStaleTemps(file);
    writingTo(file, () => writeAtomic(file, text));
  };
  write('report.json', JSON.stringify(report, null, 2) + '\n');
  write('report.md', renderMarkdown(report));
  write('report.html', renderHtml(report));
}

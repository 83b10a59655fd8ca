/** Writes `report.json`, `report.md` and `report.html`, each atomically. */
import fs from 'node:fs';
import path from 'node:path';
import type { GateReport } from './gateReport';
import { renderHtml, renderMarkdown } from './renderReport';
import { writeAtomic } from './writeAtomic';

/** The three reports of `report` in `outDir` (created if missing). */
export function writeReports(outDir: string, report: GateReport): void {
  fs.mkdirSync(outDir, { recursive: true });
  writeAtomic(path.join(outDir, 'report.json'), JSON.stringify(report, null, 2) + '\n');
  writeAtomic(path.join(outDir, 'report.md'), renderMarkdown(report));
  writeAtomic(path.join(outDir, 'report.html'), renderHtml(report));
}

import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BENCH_RESULTS_SCHEMA, CONVENTIONS, type BenchResults } from './benchResults';
import { formatMarkdown } from './formatMarkdown';
import type { SuiteResult } from './interleave';
import { machineInfo } from './machineInfo';
import { quickMode } from './quickMode';
import type { RtfxSummary } from './rtfx';

/** Options of {@link writeBenchResults}. */
export interface WriteBenchResultsOptions {
  /** Project name; the file is `<dir>/<project>.json`. */
  readonly project: string;
  readonly suites: readonly SuiteResult[];
  /** Named RTFx summaries, if the benchmark measured any. */
  readonly rtfx?: Readonly<Record<string, RtfxSummary>>;
  /** Whether the run was in quick mode (default `quickMode()` of this process). */
  readonly quick?: boolean;
  /** Process replicates pooled into `suites` (default 1). */
  readonly processes?: number;
  /** Any JSON the benchmark wants to keep beside its suites. */
  readonly extra?: unknown;
  /** Directory of the results (default `bench-results` under `process.cwd()`). */
  readonly dir?: string;
  /** Exact output file; overrides `dir`. */
  readonly file?: string;
  /** Where the Markdown summary goes (default `process.stderr`); `null` prints nothing. */
  readonly log?: { write(text: string): unknown } | null;
}

/**
 * Writes `text` to `file` atomically: a temporary file in the same directory, then a rename, so a
 * reader never sees a half-written file.
 */
export function writeFileAtomic(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, file);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
}

/**
 * Assembles a {@link BenchResults} document (machine info, conventions, suites), writes it
 * atomically to `bench-results/<project>.json` and prints a Markdown summary to stderr.
 *
 * @returns the path written and the document.
 */
export async function writeBenchResults(
  options: WriteBenchResultsOptions,
): Promise<{ path: string; results: BenchResults }> {
  if (typeof options.project !== 'string' || !/^[\w.@-]+$/.test(options.project))
    throw new TypeError(
      `\`options.project\` must be a file-name-safe string, got ${JSON.stringify(options.project)}`,
    );
  const results: BenchResults = {
    schema: BENCH_RESULTS_SCHEMA,
    project: options.project,
    createdAt: new Date().toISOString(),
    quick: options.quick ?? quickMode(),
    processes: options.processes ?? 1,
    machine: machineInfo(),
    conventions: CONVENTIONS,
    suites: [...options.suites],
    ...(options.rtfx === undefined ? {} : { rtfx: { ...options.rtfx } }),
    ...(options.extra === undefined ? {} : { extra: options.extra }),
  };
  const file = path.resolve(
    options.file ?? path.join(options.dir ?? 'bench-results', `${options.project}.json`),
  );
  writeFileAtomic(file, JSON.stringify(results, null, 2) + '\n');
  const log = options.log === undefined ? process.stderr : options.log;
  log?.write(formatMarkdown(results) + `\nwrote ${file}\n`);
  return { path: file, results };
}

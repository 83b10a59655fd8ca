/** Runs the CLI in-process (no spawn) and captures what it prints; reads corpus manifests. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { runMain } from '../src/main';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _enc: BufferEncoding, cb: (error?: Error | null) => void): void {
    this.text += chunk.toString();
    cb();
  }
}

/** A cache of this test process, so commands that build variants never write to the home directory. */
let testCache: string | undefined;
// In-process runs cannot replicate `eou bench` by spawning the CLI (this process is vitest): one process.
function defaultEnv(): NodeJS.ProcessEnv {
  const env = { EOU_BENCH_PROCESSES: '1', ...process.env };
  if (process.env.EOU_CACHE_DIR) return env;
  testCache ??= mkdtempSync(join(tmpdir(), 'eou-test-cache-'));
  return { ...env, EOU_CACHE_DIR: testCache };
}

export async function runCli(
  argv: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<CliRun> {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await runMain(argv, { stdout, stderr, stderrIsTTY: false, env: defaultEnv(), ...options });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** The entries of `<dir>/manifest.jsonl`, one JSON object per non-empty line. */
export function readManifest<T>(dir: string): T[] {
  return readFileSync(join(dir, 'manifest.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as T);
}

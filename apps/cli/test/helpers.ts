/** Runs the CLI in-process (no spawn) and captures what it prints. */
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

export async function runCli(
  argv: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<CliRun> {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await runMain(argv, { stdout, stderr, stderrIsTTY: false, ...options });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

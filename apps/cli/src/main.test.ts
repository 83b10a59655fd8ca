import { describe, expect, it } from 'vitest';
import { runCli } from '../test/helpers';

describe('runMain', () => {
  it('lists the commands with --help and exits 0', async () => {
    const run = await runCli(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage: eou <command>');
    expect(run.stdout).toContain('version');
  });

  it('BAD CALL - unknown command exits 2 with one line on stderr', async () => {
    const run = await runCli(['frobnicate']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe("eou: unknown command 'frobnicate' (run `eou --help` for the list)\n");
  });

  it('BAD CALL - unknown option exits 2 naming the command', async () => {
    const run = await runCli(['version', '--nope']);
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')).toHaveLength(2);
    expect(run.stderr).toBe('eou version: unknown option --nope (see `eou version --help`)\n');
  });

  it('BAD CALL - no command prints the usage on stderr and exits 2', async () => {
    const run = await runCli([]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('Usage: eou <command>');
  });

  it('passes a negative number to a string option for the command to judge', async () => {
    const run = await runCli(['wer-gate', '--max-blowups', '-1']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe("--max-blowups: expected a non-negative integer, got '-1'\n");
  });

  it('BAD CALL - a path that is a file where a directory belongs is one line, exit 2', async () => {
    const file = new URL('../package.json', import.meta.url).pathname;
    const run = await runCli(['synth-model', '--out', file, '--shape', 'tiny']);
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')).toHaveLength(2);
    expect(run.stderr).toContain(file);
  });

  it('prints versions as one JSON document', async () => {
    const run = await runCli(['version', '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)['@eou/cli']).toMatch(/^\d+\.\d+\.\d+/);
  });
});

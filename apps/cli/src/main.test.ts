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
    expect(run.stderr).toMatch(/^eou version: Unknown option '--nope'/);
  });

  it('prints versions as one JSON document', async () => {
    const run = await runCli(['version', '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)['@eou/cli']).toMatch(/^\d+\.\d+\.\d+/);
  });
});

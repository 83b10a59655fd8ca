import { describe, expect, it } from 'vitest';
import { runCli } from '../test/helpers';
import { closest, typoDistance } from './suggest';

describe(typoDistance, () => {
  const d = (a: string, b: string) =>
    typoDistance(
      [...a].map((c) => c.charCodeAt(0)),
      [...b].map((c) => c.charCodeAt(0)),
    );
  it('counts a swap of neighbours as one edit, everything else as Levenshtein does', () => {
    expect([
      d('modle', 'model'),
      d('', 'abc'),
      d('kitten', 'sitting'),
      d('ab', 'ab'),
      d('ca', 'abc'),
    ]).toEqual([1, 3, 3, 0, 3]);
  });
});

describe(closest, () => {
  it('finds typos (a third of the characters at most) and unique prefixes, and nothing for unrelated words', () => {
    const commands = ['bench', 'decode', 'wer', 'wer-gate', 'parity', 'synth-model', 'synth-corpus'];
    expect(closest('wer-gat', commands)).toBe('wer-gate');
    expect(closest('decdoe', commands)).toBe('decode');
    expect(closest('parit', commands)).toBe('parity');
    expect(closest('synth', commands)).toBeUndefined(); // two names start with it, both far
    expect(closest('transcribe', commands)).toBeUndefined();
    expect(closest('--modle', ['--model', '--data', '--out'])).toBe('--model');
    expect(closest('--x', ['--model', '--data'])).toBeUndefined();
  });
});

describe('did you mean', () => {
  it('suggests the command for a mistyped one', async () => {
    const run = await runCli(['wer-gat']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      "eou: unknown command 'wer-gat'; did you mean `eou wer-gate`? (run `eou --help` for the list)\n",
    );
    expect((await runCli(['frobnicate'])).stderr).toBe(
      "eou: unknown command 'frobnicate' (run `eou --help` for the list)\n",
    );
  });

  it('suggests the flag for a mistyped one, and the value for a mistyped choice', async () => {
    const flag = await runCli(['wer', '--refs', 'a', '--hyp', 'b']);
    expect(flag.stderr).toBe('eou wer: unknown option --refs; did you mean --ref? (see `eou wer --help`)\n');
    const gate = await runCli(['wer-gate', '--candiates', 'lean']);
    expect(gate.stderr).toBe(
      'eou wer-gate: unknown option --candiates; did you mean --candidates? (see `eou wer-gate --help`)\n',
    );
    const value = await runCli(['wer', '--ref', 'a', '--hyp', 'b', '--format', 'kaldy']);
    expect(value.stderr).toBe(
      "eou wer: --format must be one of kaldi, plain, trn, manifest, got 'kaldy'; did you mean kaldi?\n",
    );
  });
});

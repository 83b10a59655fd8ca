import { describe, expect, it } from 'vitest';
import { expectation, parseCommandArgs, renderCommandHelp } from './args';
import { CLIError } from './cliError';
import { defineCommand } from './command';

const command = defineCommand({
  name: 'demo',
  description: 'A command for the parser tests.',
  options: {
    count: { type: 'integer', min: 1, default: 3, description: 'A count.' },
    seed: { type: 'integer', min: 0, max: 9, description: 'A seed.' },
    share: { type: 'number', min: 0, max: 1, description: 'A share.' },
    shift: { type: 'number', description: 'Any number.' },
    mode: { type: 'enum', choices: ['fast', 'exact'], default: 'exact', description: 'A mode.' },
    names: { type: 'list', default: ['a', 'b'], description: 'Names.' },
    pair: {
      type: 'custom',
      parse: (text: string) => {
        const m = /^(\d+)x(\d+)$/.exec(text);
        if (!m) throw new Error('no');
        return [Number(m[1]), Number(m[2])] as const;
      },
      expected: 'WxH',
      description: 'A pair.',
    },
    tag: { type: 'string', multiple: true, description: 'Tags.' },
    out: { type: 'string', required: true, valueName: 'DIR', description: 'Output.' },
    quiet: { type: 'boolean', description: 'Quiet.' },
  },
  async run() {
    return 0;
  },
});
const expected = { ...command, flagErrors: 'expected' as const };

const parse = (argv: string[], c = command) => parseCommandArgs(c, argv).options;
const failure = (argv: string[], c: typeof command = command) => {
  try {
    parseCommandArgs(c, argv);
  } catch (error) {
    expect(error).toBeInstanceOf(CLIError);
    return (error as Error).message;
  }
  throw new Error('no error');
};

describe(parseCommandArgs, () => {
  it('gives every option its type, with defaults, and booleans and repeatable strings always set', () => {
    const o = parse([
      '--out',
      'x',
      '--seed',
      '7',
      '--share',
      '0.25',
      '--shift',
      '-1.5',
      '--names',
      ' p, ,q ',
      '--pair',
      '3x4',
      '--tag',
      'a',
      '--tag',
      'b',
    ]);
    expect(o).toEqual({
      help: false,
      out: 'x',
      count: 3,
      seed: 7,
      share: 0.25,
      shift: -1.5,
      mode: 'exact',
      names: ['p', 'q'],
      pair: [3, 4],
      tag: ['a', 'b'],
      quiet: false,
    });
    const d = parse(['--out', 'x', '--quiet']);
    expect([d.names, d.tag, d.quiet, d.seed, d.pair]).toEqual([['a', 'b'], [], true, undefined, undefined]);
  });

  it.each([
    [['--count', '0'], "eou demo: --count must be an integer >= 1, got '0'"],
    [['--count', '2.5'], "eou demo: --count must be an integer >= 1, got '2.5'"],
    [['--count', '1e3'], "eou demo: --count must be an integer >= 1, got '1e3'"],
    [['--seed', '-1'], "eou demo: --seed must be an integer in [0, 9], got '-1'"],
    [['--share', '2'], "eou demo: --share must be a number in [0, 1], got '2'"],
    [['--shift', 'abc'], "eou demo: --shift must be a number, got 'abc'"],
    [['--shift', ' '], "eou demo: --shift must be a number, got ' '"],
    [['--mode', 'slow'], "eou demo: --mode must be one of fast, exact, got 'slow'"],
    [['--pair', '3by4'], "eou demo: --pair must be WxH, got '3by4'"],
  ])('BAD CALL - %j is one line naming the flag, what it takes and what it got', (argv, message) => {
    expect(failure(['--out', 'x', ...argv])).toBe(message);
  });

  it('BAD CALL - prints the `expected` form for a command that asks for it', () => {
    expect(failure(['--out', 'x', '--count', '-2'], expected)).toBe(
      "--count: expected an integer >= 1, got '-2'",
    );
  });

  it('BAD CALL - names a missing required option, and an unknown one', () => {
    expect(failure([])).toBe('eou demo: missing --out DIR (see `eou demo --help`)');
    expect(failure(['--out', 'x', '--nope'])).toBe('eou demo: unknown option --nope (see `eou demo --help`)');
    expect(parse(['--help']).help).toBe(true);
  });

  it('renders help from the same table: value names, defaults, required', () => {
    const help = renderCommandHelp(command);
    expect(help).toContain('--count N');
    expect(help).toMatch(/--mode fast\|exact +A mode\. \(default: exact\)/);
    expect(help).toContain('(default: a,b)');
    expect(help).toMatch(/--out DIR +Output\. Required\./);
    expect(help).toMatch(/--quiet +Quiet\.\n/);
  });
});

describe(expectation, () => {
  it('describes each type in words, or as the spec says', () => {
    expect(expectation({ type: 'integer', min: 0, description: '' })).toBe('an integer >= 0');
    expect(expectation({ type: 'integer', min: 1, expected: 'a positive integer', description: '' })).toBe(
      'a positive integer',
    );
    expect(expectation({ type: 'number', max: 3, description: '' })).toBe('a number <= 3');
    expect(expectation({ type: 'enum', choices: ['a', 'b'], expected: 'a, b', description: '' })).toBe(
      'a, b',
    );
  });
});

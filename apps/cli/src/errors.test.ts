import { describe, expect, it } from 'vitest';
import { GateError } from '@eou/gate';
import { RnntDecodeError } from '@eou/rnnt-decode';
import { WerError } from '@eou/wer';
import { CLIError } from './cliError';
import type { Command } from './command';
import { badInputLine, isPackageError, packageErrors, rangeErrorAsBadInput } from './errors';

const command = (name: string, errorPrefix?: string) =>
  ({
    name,
    description: '',
    options: {},
    run: async () => 0,
    ...(errorPrefix === undefined ? {} : { errorPrefix }),
  }) as Command;

describe(badInputLine, () => {
  it('prints a package error as one line with the command prefix, whatever the package', () => {
    const errors = [
      new RnntDecodeError('E_NPY', 'f.npy: not a .npy file\nsecond line'),
      new WerError('E_NO_ID', 'ref.txt:2: line has no utterance id'),
      new GateError('E_BAD_MODEL', 'm: not a model directory (no model.json)'),
    ];
    expect(errors.map((e) => badInputLine(e, command('decode')))).toEqual([
      'eou decode: f.npy: not a .npy file',
      'eou decode: ref.txt:2: line has no utterance id',
      'eou decode: m: not a model directory (no model.json)',
    ]);
    expect(badInputLine(errors[2], command('wer-gate', ''))).toBe('m: not a model directory (no model.json)');
  });

  it("maps the gate's lock and write failures to their one line (exit 2), the cause's stack not shown", () => {
    const locked = new GateError(
      'E_LOCKED',
      'out/.eou-gate.lock: the output directory is in use by pid 7 on h since t; wait for it to finish or use another output directory',
    );
    const full = new GateError(
      'E_WRITE_FAILED',
      'out/results.jsonl: cannot write: no space left on the device',
      {
        cause: Object.assign(new Error('ENOSPC: write'), { code: 'ENOSPC', syscall: 'write' }),
      },
    );
    expect([locked, full].map((e) => badInputLine(e, command('wer-gate', '')))).toEqual([
      locked.message,
      full.message,
    ]);
  });

  it('recognises the other packages by name and string code, without loading them', () => {
    for (const name of Object.keys(packageErrors)) {
      const error = Object.assign(new Error('x.onnx: bad'), { name, code: 'E_SOMETHING' });
      expect(isPackageError(error), name).toBe(true);
      expect(badInputLine(error, command('bench'))).toBe('eou bench: x.onnx: bad');
    }
    expect(isPackageError(Object.assign(new Error('x'), { name: 'FusionError' }))).toBe(false);
  });

  it('prints a CLIError as it is and a file-system error with its path', () => {
    expect(badInputLine(new CLIError('--shard: expected i/n'), command('wer-gate', ''))).toBe(
      '--shard: expected i/n',
    );
    const enotdir = Object.assign(new Error('ENOTDIR'), { code: 'ENOTDIR', path: '/a/file' });
    expect(badInputLine(enotdir, command('synth-model'))).toBe(
      'eou synth-model: /a/file: is not a directory (or a parent of it is a file)',
    );
  });

  it('leaves everything else to be reported as a bug', () => {
    expect(badInputLine(new TypeError('x is not a function'), command('wer'))).toBeUndefined();
    expect(badInputLine(new RangeError('`k` must be >= 1'), command('wer'))).toBeUndefined();
    expect(badInputLine('a string', command('wer'))).toBeUndefined();
  });
});

describe(rangeErrorAsBadInput, () => {
  it('turns a RangeError into bad input and rethrows anything else', () => {
    expect(() => rangeErrorAsBadInput('bench', new RangeError('`rounds` must be >= 1'))).toThrow(
      expect.objectContaining({
        name: 'CLIError',
        code: 'E_BAD_INPUT',
        message: 'eou bench: `rounds` must be >= 1',
      }),
    );
    const other = new Error('boom');
    expect(() => rangeErrorAsBadInput('bench', other)).toThrow(other);
  });
});

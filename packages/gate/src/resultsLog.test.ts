import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GateError } from './gateError';
import {
  RESULTS_FORMAT,
  ResultsLog,
  readResults,
  type FileResult,
  type ManifestTruth,
  type ResultsHeader,
  type VariantFileResult,
} from './resultsLog';

const header = (hash = 'abc'): ResultsHeader => ({
  kind: 'header',
  format: RESULTS_FORMAT,
  settingsHash: hash,
  settings: { variants: ['ref', 'lean'], normalizer: 'none' },
  shard: '1/1',
});
const variant = (text: string, tokens: number[], errors: number, seqDiff: boolean): VariantFileResult => ({
  tokens,
  text,
  errors,
  substitutions: errors,
  deletions: 0,
  insertions: 0,
  seqDiff,
  decodeMs: 1.5,
  eouFrames: [],
  tokenFrames: tokens.map((_, i) => i),
  steps: 4,
});
const file = (id: string, index: number): FileResult => ({
  kind: 'file',
  id,
  index,
  status: 'ok',
  reference: 'a b',
  words: 2,
  frames: 10,
  variants: { ref: variant('a b', [1, 2], 0, false), lean: variant('a c', [1, 3], 1, true) },
});
const manifest = new Map<string, ManifestTruth>(
  ['a', 'b', 'c', '__proto__'].map((id, index) => [id, { index, text: 'a b' }]),
);

describe(ResultsLog, () => {
  let dir: string;
  let p: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eou-results-'));
    p = path.join(dir, 'results.jsonl');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('resumes after the last complete line with the same settings', () => {
    const log = ResultsLog.open(p, header());
    log.append(file('a', 0));
    log.append(file('b', 1));
    log.close();
    const again = ResultsLog.open(p, header(), { manifest });
    expect([...again.done.keys()]).toEqual(['a', 'b']);
    again.append(file('c', 2));
    again.close();
    expect(readResults(p, { manifest }).files.map((f) => f.id)).toEqual(['a', 'b', 'c']);
  });

  it('keeps the ids of logged files only: their results are on disk, not held for the run', () => {
    const log = ResultsLog.open(p, header());
    log.append(file('a', 0));
    log.close();
    const again = ResultsLog.open(p, header(), { manifest });
    again.append(file('b', 1));
    again.close();
    expect([...again.done]).toEqual(['a', 'b']);
  });

  it('writes nothing until the first result: a run that fails to start leaves no log (issue 19, defect 2)', () => {
    const log = ResultsLog.open(p, header());
    expect(log.started).toBe(false);
    log.close();
    expect(fs.existsSync(p)).toBe(false);
    // A corrected rerun (other settings) is not refused.
    const rerun = ResultsLog.open(p, header('corrected'));
    rerun.append(file('a', 0));
    rerun.close();
    expect(readResults(p).header.settingsHash).toBe('corrected');
  });

  it('replaces a header-only log of other settings (left by an older version that failed to start), with a note', () => {
    fs.writeFileSync(p, JSON.stringify(header('broken-start')) + '\n');
    const notes: string[] = [];
    const log = ResultsLog.open(p, header('corrected'), { onNote: (n) => notes.push(n) });
    expect(notes).toEqual([
      `${p}: removed a log without results (left by a run that stopped before its first file)`,
    ]);
    log.append(file('a', 0));
    log.close();
    expect(readResults(p).header.settingsHash).toBe('corrected');
  });

  it('drops a torn final line left by a killed run, with a note, and appends after the last complete one', () => {
    const log = ResultsLog.open(p, header());
    log.append(file('a', 0));
    log.close();
    fs.appendFileSync(p, '{"kind":"file","id":"b","ind');
    const notes: string[] = [];
    const again = ResultsLog.open(p, header(), { onNote: (n) => notes.push(n) });
    expect(notes).toEqual([`${p} line 3: dropped a torn last line (28 bytes, cut mid-write)`]);
    expect([...again.done.keys()]).toEqual(['a']);
    again.append(file('b', 1));
    again.close();
    const text = fs.readFileSync(p, 'utf8');
    expect(text.split('\n').filter(Boolean)).toHaveLength(3);
    expect(readResults(p).files.map((f) => f.id)).toEqual(['a', 'b']);
  });

  it('EXPECTED FAILURE - refuses to resume a log written with other settings', () => {
    const log = ResultsLog.open(p, header('one'));
    log.append(file('a', 0));
    log.close();
    expect(() => ResultsLog.open(p, header('two'))).toThrow(GateError);
    expect(() => ResultsLog.open(p, header('two'))).toThrow(/written by a run with other settings/);
  });

  it('EXPECTED FAILURE - names the line of a corrupt log', () => {
    fs.writeFileSync(p, JSON.stringify(header()) + '\nnot json\n');
    expect(() => readResults(p)).toThrow(`${p} line 2: not valid JSON`);
  });

  it('keeps ids such as __proto__ as data (issue 19, defect 6)', () => {
    const log = ResultsLog.open(p, header());
    log.append(file('__proto__', 3));
    log.close();
    const again = ResultsLog.open(p, header(), { manifest });
    expect([...again.done.keys()]).toEqual(['__proto__']);
    again.close();
  });

  // Each was accepted before (and changed the counts) or crashed with exit 3 (issue 19, defect 8).
  const good = JSON.stringify(file('a', 0));
  const edited = (edit: (r: Record<string, unknown>) => void) => {
    const r = JSON.parse(good) as Record<string, unknown>;
    edit(r);
    return JSON.stringify(r);
  };
  it.each([
    ['a null line', 'null', 'expected a file result object, got null'],
    ['an array', '[1]', 'expected a file result object, got [1]'],
    ['a record without variants', edited((r) => delete r.variants), '`variants` must be an object'],
    [
      'a record lacking a variant',
      edited((r) => delete (r.variants as Record<string, unknown>).lean),
      '`variants` must hold ref, lean, got ref',
    ],
    ['a second header', JSON.stringify(header()), 'expected a file result (`kind` "file"), got "header"'],
    ['a duplicated record', good, 'id "a" again (first at line 2)'],
    [
      'an edited error count',
      edited((r) => ((r.variants as Record<string, Record<string, unknown>>).lean!.errors = 0)),
      'variant lean: the counts (0 errors) disagree with its text and the reference (1 errors)',
    ],
    [
      'an edited reference',
      edited((r) => (r.reference = 'a c')),
      '`reference` of "a" differs from the manifest\'s text',
    ],
    ['an id not in the manifest', edited((r) => (r.id = 'zzz')), 'id "zzz" is not in the manifest'],
    [
      'an id at another position',
      edited((r) => (r.index = 2)),
      'id "a" is at manifest position 0, the record says 2',
    ],
    [
      'an edited seqDiff',
      edited((r) => ((r.variants as Record<string, Record<string, unknown>>).lean!.seqDiff = false)),
      'variant lean: `seqDiff` disagrees with its tokens',
    ],
    ['an empty line', '', 'an empty line'],
  ])('EXPECTED FAILURE - refuses %s, naming the file and line', (_what, line, message) => {
    fs.writeFileSync(
      p,
      [JSON.stringify(header()), good, line, JSON.stringify(file('b', 1))].join('\n') + '\n',
    );
    const error = (() => {
      try {
        ResultsLog.open(p, header(), { manifest });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(GateError);
    expect(error).toMatchObject({ code: 'E_BAD_RESULTS', file: p, line: 3 });
    expect((error as Error).message).toBe(
      `${p} line 3: ${message} (delete the line to redo that file, or the log to start over)`,
    );
  });

  it('EXPECTED FAILURE - refuses a record outside its shard', () => {
    fs.writeFileSync(p, [JSON.stringify(header()), JSON.stringify(file('b', 1))].join('\n') + '\n');
    expect(() => readResults(p, { manifest, holds: (i) => i % 2 === 0 })).toThrow(
      `${p} line 2: id "b" (position 1) does not belong to this log's shard`,
    );
  });
});

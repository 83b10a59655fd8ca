import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GateError } from './gateError';
import { RESULTS_FORMAT, ResultsLog, readResults, type FileResult, type ResultsHeader } from './resultsLog';

const header = (hash = 'abc'): ResultsHeader => ({
  kind: 'header',
  format: RESULTS_FORMAT,
  settingsHash: hash,
  settings: {},
  shard: '1/1',
});
const file = (id: string, index: number): FileResult => ({
  kind: 'file',
  id,
  index,
  status: 'ok',
  reference: 'a b',
  words: 2,
  frames: 10,
  variants: {},
});

describe(ResultsLog, () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eou-results-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('resumes after the last complete line with the same settings', () => {
    const p = path.join(dir, 'results.jsonl');
    const log = ResultsLog.open(p, header());
    log.append(file('a', 0));
    log.append(file('b', 1));
    log.close();
    const again = ResultsLog.open(p, header());
    expect([...again.done.keys()]).toEqual(['a', 'b']);
    again.append(file('c', 2));
    again.close();
    expect(readResults(p).files.map((f) => f.id)).toEqual(['a', 'b', 'c']);
  });

  it('drops a torn final line left by a killed run and appends after the last complete one', () => {
    const p = path.join(dir, 'results.jsonl');
    const log = ResultsLog.open(p, header());
    log.append(file('a', 0));
    log.close();
    fs.appendFileSync(p, '{"kind":"file","id":"b","ind');
    const again = ResultsLog.open(p, header());
    expect([...again.done.keys()]).toEqual(['a']);
    again.append(file('b', 1));
    again.close();
    const text = fs.readFileSync(p, 'utf8');
    expect(text.split('\n').filter(Boolean)).toHaveLength(3);
    expect(readResults(p).files.map((f) => f.id)).toEqual(['a', 'b']);
  });

  it('EXPECTED FAILURE - refuses to resume a log written with other settings', () => {
    const p = path.join(dir, 'results.jsonl');
    ResultsLog.open(p, header('one')).close();
    expect(() => ResultsLog.open(p, header('two'))).toThrow(GateError);
    expect(() => ResultsLog.open(p, header('two'))).toThrow(/written by a run with other settings/);
  });

  it('EXPECTED FAILURE - names the line of a corrupt log', () => {
    const p = path.join(dir, 'results.jsonl');
    fs.writeFileSync(p, JSON.stringify(header()) + '\nnot json\n');
    expect(() => readResults(p)).toThrow(`${p} line 2: not valid JSON`);
  });
});

import { describe, expect, it } from 'vitest';
import { processTokens } from './processWords';
import { pairTranscripts, readTranscriptPair, readTranscripts } from './readTranscripts';
import { detectTranscriptFormat } from './transcriptFormat';
import { splitWords } from './transforms';

/** Reads, pairs and scores two files' contents the way `eou wer` does. */
function score(ref: string, hyp: string, format?: 'kaldi' | 'plain') {
  const [r, h] = readTranscriptPair(ref, hyp, {
    reference: { file: 'ref.txt', ...(format ? { format } : {}) },
    hypothesis: { file: 'hyp.txt', ...(format ? { format } : {}) },
  });
  const p = pairTranscripts(r, h);
  return { ref: r, hyp: h, out: processTokens(p.refs.map(splitWords), p.hyps.map(splitWords)) };
}

describe('detectTranscriptFormat', () => {
  it('tells the four formats apart by content', () => {
    expect(detectTranscriptFormat('utt1 a b\nutt2 c\n').format).toBe('kaldi');
    expect(detectTranscriptFormat('1089-134686-0000 he hoped\n').format).toBe('kaldi');
    expect(detectTranscriptFormat('the cat\nthe dog\n').format).toBe('plain');
    expect(detectTranscriptFormat('a b (u1)\n(u2)\n').format).toBe('trn');
    expect(detectTranscriptFormat('{"id": "u1", "text": "a"}\n').format).toBe('manifest');
    expect(detectTranscriptFormat('  indented line\nnext\n').format).toBe('plain');
  });

  it('reports unique first words that are not id-like as ambiguous between kaldi and plain', () => {
    expect(detectTranscriptFormat('hello world foo\n')).toEqual({
      format: undefined,
      candidates: ['kaldi', 'plain'],
      reason: "the first words are unique but 'hello' does not look like an utterance id",
    });
    expect(detectTranscriptFormat('\n\n').candidates).toHaveLength(4);
  });
});

describe('readTranscripts and readTranscriptPair', () => {
  it('scores plain line-paired files like jiwer: 1 error in 6 words, never the first word as an id', () => {
    const { ref, hyp, out } = score(
      'hello world foo\nhello there bar\n',
      'hello word foo\nhello there bar\n',
    );
    expect([ref.format, ref.detected, ref.pairing, hyp.format]).toEqual(['plain', true, 'line', 'plain']);
    expect(ref.how).toBe("the first word 'hello' repeats (lines 1 and 2), so first words are not ids");
    expect([out.errors, out.referenceWords]).toEqual([1, 6]);
    expect(out.wer).toBeCloseTo(1 / 6, 12);
  });

  it('EXPECTED FAILURE - one ambiguous line on each side asks for the format, naming both choices', () => {
    const run = () => score('hello world foo\n', 'hello word foo\n');
    expect(run).toThrow(expect.objectContaining({ name: 'WerError', code: 'E_FORMAT' }));
    expect(run).toThrow(
      "ref.txt and hyp.txt: cannot tell the format of either file (the first words are unique but 'hello' does not look like an utterance id; the first words are unique but 'hello' does not look like an utterance id); name it: --format plain (one transcript a line, paired by line) or --format kaldi (the first word is the utterance id)",
    );
    // Named, it is 1/3 as plain (and 1/2, the mis-pairing, only when the caller asks for kaldi).
    expect(score('hello world foo\n', 'hello word foo\n', 'plain').out.wer).toBeCloseTo(1 / 3, 12);
    expect(score('hello world foo\n', 'hello word foo\n', 'kaldi').out.wer).toBeCloseTo(1 / 2, 12);
  });

  it('EXPECTED FAILURE - a single file with ambiguous content names the format to pass', () => {
    expect(() => readTranscripts('hello world\n', { file: 'h.txt' })).toThrow(
      "h.txt: cannot tell the format: the first words are unique but 'hello' does not look like an utterance id; name it: --format plain (one transcript a line, paired by line) or --format kaldi (the first word is the utterance id)",
    );
  });

  it('detects by content, not extension: Kaldi text in a .trn file is read as Kaldi', () => {
    const f = readTranscripts('u1 a b\nu2 c\n', { file: 'x.trn' });
    expect([f.format, f.detected, f.entries.map((e) => e.id)]).toEqual(['kaldi', true, ['u1', 'u2']]);
    expect(f.how).toBe("every line starts with a unique id-like token (e.g. 'u1')");
  });

  it('pairs Kaldi files by id in any order and .trn with Kaldi', () => {
    const { out } = score('u1 a b c\nu2 d e\n', 'u2 d x\nu1 a b c\n');
    expect([out.errors, out.referenceWords]).toEqual([1, 5]);
    const [r, h] = readTranscriptPair('a b c (u1)\nd e (u2)\n', 'u2 d x\nu1 a b c\n', {
      reference: { file: 'ref.trn' },
      hypothesis: { file: 'hyp.txt' },
    });
    expect([r.format, h.format]).toEqual(['trn', 'kaldi']);
    expect(pairTranscripts(r, h).hyps).toEqual(['a b c', 'd x']);
  });

  it('lets an ambiguous side take the format of a certain one (word-like ids with a .trn reference)', () => {
    const [r, h] = readTranscriptPair('a b (alpha)\nc (beta)\n', 'alpha a b\nbeta c\n', {
      reference: { file: 'ref.trn' },
      hypothesis: { file: 'hyp.txt' },
    });
    expect([r.format, h.format, h.detected]).toEqual(['trn', 'kaldi', true]);
    expect(h.how).toBe(
      "the first words are unique but 'alpha' does not look like an utterance id; read as kaldi, like ref.trn",
    );
    expect(pairTranscripts(r, h).hyps).toEqual(['a b', 'c']);
  });

  it('reads NeMo-style JSONL with the hypothesis key named, ids from audio_filepath, other keys kept', () => {
    const jsonl =
      '{"audio_filepath": "a.wav", "duration": 1.5, "text": "the cat", "pred_text": "the hat"}\n' +
      '{"audio_filepath": "b.wav", "duration": 2.0, "text": "a dog", "pred_text": "a dog"}\n';
    const ref = readTranscripts(jsonl, { file: 'm.jsonl' });
    const hyp = readTranscripts(jsonl, { file: 'm.jsonl', textKey: 'pred_text' });
    expect([ref.format, ref.entries.map((e) => e.id), hyp.entries.map((e) => e.text)]).toEqual([
      'manifest',
      ['a.wav', 'b.wav'],
      ['the hat', 'a dog'],
    ]);
    expect((ref.entries[0] as { extra?: unknown }).extra).toEqual({ duration: 1.5, pred_text: 'the hat' });
    expect(() => readTranscripts(jsonl, { file: 'm.jsonl', textKey: 'pred' })).toThrow(
      'm.jsonl line 1: `pred` must be a string (the transcript), got undefined',
    );
  });

  it('EXPECTED FAILURE - plain files of different lengths, and plain with Kaldi, cannot be paired', () => {
    expect(() => score('the a\nthe b\n', 'the a\n')).toThrow(
      expect.objectContaining({ code: 'E_LINE_COUNT' }),
    );
    expect(() => score('the a\nthe b\n', 'the a\n')).toThrow(
      'ref.txt has 2 line(s) and hyp.txt 1: plain files pair line by line and need the same number of lines',
    );
    expect(() => score('the a\nthe b\n', 'u1 a\nu2 b\n')).toThrow(
      'ref.txt and hyp.txt: ref.txt is plain and hyp.txt is kaldi: a line-paired file cannot be paired with an id-keyed one; name --format',
    );
  });

  it('EXPECTED FAILURE - two detected Kaldi files without a common id suggest --format plain', () => {
    expect(() => score('1 cat sat\n2 dog ran\n', '3 cat sat\n4 dog ran\n')).toThrow(
      "ref.txt and hyp.txt: read as kaldi, the files have no utterance id in common (ref.txt starts with '1', hyp.txt with '3'); if each line is one transcript, name --format plain",
    );
  });

  it('keeps blank lines inside plain files as empty transcripts and drops trailing ones', () => {
    const f = readTranscripts('the a\n\nthe b\n\n\n', { file: 'p.txt', format: 'plain' });
    expect(f.entries.map((e) => [e.id, e.text])).toEqual([
      ['1', 'the a'],
      ['2', ''],
      ['3', 'the b'],
    ]);
  });

  it('reads two empty files as no utterances, whose WER is undefined', () => {
    const { out } = score('', '\n');
    expect(out.sentences).toBe(0);
    expect(out.wer).toBeNaN();
  });

  it('BAD CALL - an unknown format is a RangeError', () => {
    expect(() => readTranscripts('x', { file: 'f', format: 'ctm' as 'kaldi' })).toThrow(RangeError);
  });
});

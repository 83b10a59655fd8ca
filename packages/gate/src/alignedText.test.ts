import { processWords } from '@eou/wer';
import { describe, expect, it } from 'vitest';
import {
  alignedExamplesHtml,
  alignedExamplesMarkdown,
  alignedGridText,
  mergeAlignments,
} from './alignedText';
import type { AlignedExample, AlignedHypothesis } from './gateReport';

function hyp(variant: string, ref: string, text: string): AlignedHypothesis {
  const u = processWords(ref, text).utterances[0]!;
  return {
    variant,
    words: u.hypothesis,
    chunks: u.chunks,
    errors: u.errors,
    substitutions: u.substitutions,
    deletions: u.deletions,
    insertions: u.insertions,
  };
}

function example(ref: string, a: string, b: string): AlignedExample {
  const h = [hyp('ref', ref, a), hyp('lean', ref, b)] as const;
  return {
    variant: 'lean',
    id: 'u1',
    listedAs: 'worst',
    words: ref.split(' ').length,
    deltaErrors: h[1].errors - h[0].errors,
    deltaPp: 0,
    reference: ref.split(' '),
    hypotheses: h,
  };
}

describe(mergeAlignments, () => {
  it('puts both hypotheses on the reference axis, with insertion slots as wide as the longer run', () => {
    // Chunks written out: a x b c (x inserted), and a y z b (y z inserted, c deleted).
    const cols = mergeAlignments(
      ['a', 'b', 'c'],
      [
        {
          words: ['a', 'x', 'b', 'c'],
          chunks: [
            { kind: 'equal', refStart: 0, refEnd: 1, hypStart: 0, hypEnd: 1 },
            { kind: 'insert', refStart: 1, refEnd: 1, hypStart: 1, hypEnd: 2 },
            { kind: 'equal', refStart: 1, refEnd: 3, hypStart: 2, hypEnd: 4 },
          ],
        },
        {
          words: ['a', 'y', 'z', 'b'],
          chunks: [
            { kind: 'equal', refStart: 0, refEnd: 1, hypStart: 0, hypEnd: 1 },
            { kind: 'insert', refStart: 1, refEnd: 1, hypStart: 1, hypEnd: 3 },
            { kind: 'equal', refStart: 1, refEnd: 2, hypStart: 3, hypEnd: 4 },
            { kind: 'delete', refStart: 2, refEnd: 3, hypStart: 4, hypEnd: 4 },
          ],
        },
      ],
    );
    expect(cols.map((c) => c.ref)).toEqual(['a', '', '', 'b', 'c']);
    expect(cols.map((c) => c.cells.map((x) => `${x.text}/${x.op}`))).toEqual([
      ['a/C', 'a/C'],
      ['x/I', 'y/I'],
      ['/', 'z/I'],
      ['b/C', 'b/C'],
      ['c/C', '/D'],
    ]);
  });

  it('keeps every word of each side exactly once, in order (any alignment)', () => {
    for (const [r, a, b] of [
      ['the cat sat on the mat', 'the cat sit on mat', 'a the cat sat on the mat too'],
      ['x', '', 'y y y'],
      ['', 'a', ''],
    ] as const) {
      const e = example(r, a, b);
      const cols = mergeAlignments(e.reference, e.hypotheses);
      expect(cols.map((c) => c.ref).filter(Boolean)).toEqual(e.reference.filter(Boolean));
      e.hypotheses.forEach((h, k) =>
        expect(cols.map((c) => c.cells[k]!.text).filter(Boolean)).toEqual([...h.words]),
      );
    }
  });
});

describe(alignedGridText, () => {
  it('prints REF and each hypothesis with a line of S/D/I marks under it', () => {
    expect(
      alignedGridText(example('the cat sat on the mat', 'the cat sat on the mat', 'the cat sit on mat')),
    ).toBe(
      [
        'REF   the cat sat on the mat',
        'ref   the cat sat on the mat',
        'lean  the cat sit on *   mat',
        '              S      D',
      ].join('\n'),
    );
  });

  it('wraps long utterances into blocks, each with its labels', () => {
    const ref = Array.from({ length: 60 }, (_, i) => `w${i}`).join(' ');
    const text = alignedGridText(example(ref, ref, ref), 40);
    const blocks = text.split('\n\n');
    expect(blocks.length).toBeGreaterThan(3);
    for (const b of blocks) expect(b.split('\n').map((l) => l.slice(0, 4))).toEqual(['REF ', 'ref ', 'lean']);
  });
});

describe('aligned sections', () => {
  it('escapes words in HTML and marks each cell by its operation', () => {
    const html = alignedExamplesHtml({ alignedExamples: [example('<b> a', '<b> a', '<i> a')] });
    expect(html).toContain('&lt;b&gt;');
    expect(html).not.toContain('<b>');
    expect(html).toContain('class="ahyp opS" title="substitution">&lt;i&gt;<sup>S</sup>');
  });

  it('says so when no file got worse', () => {
    expect(alignedExamplesMarkdown({ alignedExamples: [] })).toContain('_none: no candidate has more errors');
    expect(alignedExamplesHtml({ alignedExamples: [] })).toContain('class="none"');
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { requireFixture, zipformerDir } from '../test/paths';
import { openZipformerPipeline } from '../test/zipformerPipeline';
import { readAudioFile, transcribe } from '../src/index';

const fixture = requireFixture(zipformerDir);

/** Word errors by plain Levenshtein (the test needs a rough check, not @eou/wer). */
function wordErrors(ref: string[], hyp: string[]): number {
  const d = Array.from({ length: ref.length + 1 }, (_, i) => [i, ...new Array<number>(hyp.length).fill(0)]);
  for (let j = 1; j <= hyp.length; j++) d[0]![j] = j;
  for (let i = 1; i <= ref.length; i++)
    for (let j = 1; j <= hyp.length; j++)
      d[i]![j] = Math.min(
        d[i - 1]![j]! + 1,
        d[i]![j - 1]! + 1,
        d[i - 1]![j - 1]! + (ref[i - 1] === hyp[j - 1] ? 0 : 1),
      );
  return d[ref.length]![hyp.length]!;
}

describe.skipIf(!fixture.present)(
  `a real streaming zipformer transducer from audio (Kaldi fbank, 45/32 windows, 38 states)${fixture.note}`,
  () => {
    it('transcribes the LibriSpeech clips with a handful of word errors', async () => {
      const refs = new Map(
        readFileSync(join(zipformerDir, 'test_wavs', 'trans.txt'), 'utf8')
          .trim()
          .split('\n')
          .map((l) => [l.slice(0, l.indexOf(' ')), l.slice(l.indexOf(' ') + 1)] as const),
      );
      const pipeline = await openZipformerPipeline(zipformerDir);
      const { options } = pipeline;
      let errors = 0;
      let words = 0;
      for (const id of ['0', '1']) {
        const audio = (
          await readAudioFile(join(zipformerDir, 'test_wavs', `${id}.wav`), { sampleRate: 16000 })
        ).samples;
        const r = await transcribe(audio, options);
        const ref = refs.get(`${id}.wav`)!.split(' ');
        errors += wordErrors(ref, r.text.toUpperCase().split(' '));
        words += ref.length;
        expect(r.schedule).toBe('zipformer-320ms');
        expect(r.tokenTimesMs.at(-1)!).toBeLessThan(audio.length / 16);
      }
      // sherpa-onnx scores 3/66 on these clips (BRAFFLES, FOREVER); so does this loop (measured 3/66).
      expect([errors, words]).toEqual([3, 66]);

      // The endpoint rules on a joined stream with known silences: zipformerEndpoints.test.ts.
      await pipeline.close();
    });
  },
);

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import wavefile from 'wavefile';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageDir } from '../test/paths';
import { openTinyModel } from '../test/tinyModel';
import { decodeWav, encodeWav, transcribeFiles, type StreamingModel } from '../src/index';

describe(encodeWav, () => {
  it('property: float32 round-trips exactly, 16-bit within half an LSB (clipped), and wavefile reads it too', () => {
    fc.assert(
      fc.property(
        fc.array(fc.float({ min: Math.fround(-1.2), max: Math.fround(1.2), noNaN: true }), {
          maxLength: 300,
        }),
        fc.constantFrom(8000, 16000, 44100),
        (values, rate) => {
          const x = Float32Array.from(values);
          const f = decodeWav(encodeWav(x, rate, 'f32le'), 'f.wav');
          expect([f.sampleRate, f.channels, f.encoding]).toEqual([rate, 1, 'f32le']);
          // (-0 comes back as +0: the reader sums channels from 0.)
          expect(Array.from(f.samples, (v) => v + 0)).toEqual(Array.from(x, (v) => v + 0));
          const s = decodeWav(encodeWav(x, rate), 's.wav');
          s.samples.forEach((v, i) => {
            const clipped = Math.min(32767 / 32768, Math.max(-1, x[i]!));
            expect(Math.abs(v - clipped)).toBeLessThanOrEqual(0.5 / 32768 + 1e-9);
          });
          const w = new wavefile.WaveFile(encodeWav(x, rate));
          expect((w.fmt as { sampleRate: number }).sampleRate).toBe(rate);
        },
      ),
    );
    expect(() => encodeWav(new Float32Array(1), 0)).toThrow(RangeError);
  });
});

let root: string;
let model: StreamingModel;
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'eou-transcribe-files-'));
  model = await openTinyModel();
});
afterAll(async () => {
  await model.close();
  rmSync(root, { recursive: true, force: true });
});

describe(transcribeFiles, () => {
  const clip = join(packageDir, 'test', 'fixtures', 'heldout', 'test-00000.flac');

  it('transcribes with RTFx and stage timing; streaming silence after the file lets the EOU confirm', async () => {
    const [plain, padded] = [
      ...(await transcribeFiles([clip], model)),
      ...(await transcribeFiles([clip], model, { padSilenceMs: 2000 })),
    ];
    if (!plain!.ok || !padded!.ok) throw new Error('expected both to transcribe');
    expect(plain!.transcript.text).toBe('four eight one');
    expect(plain!.transcript.eouTimesMs).toEqual([]); // the file ends 0.98 s after its speech
    expect(padded!.transcript.eouTimesMs).toEqual([3360]); // the README example's figure
    expect(padded!.transcript.audioSeconds).toBeCloseTo(plain!.transcript.audioSeconds + 2, 6);
    expect(plain!.rtfx).toBeCloseTo(plain!.transcript.audioSeconds / (plain!.wallMs / 1000), 6);
  });

  it('BAD INPUT: each unreadable file is an entry with its one-line error naming it; the rest go on', async () => {
    const tone = Float32Array.from({ length: 4000 }, (_, i) => 0.1 * Math.sin(i / 9));
    const corrupt = join(root, 'corrupt.wav');
    writeFileSync(corrupt, encodeWav(tone, 16000).subarray(0, 1000));
    const rate = join(root, 'rate.wav');
    writeFileSync(rate, encodeWav(tone, 8000));
    const nan = join(root, 'nan.wav');
    const bad = tone.slice();
    bad[7] = NaN;
    writeFileSync(nan, encodeWav(bad, 16000, 'f32le'));
    const missing = join(root, 'missing.wav');
    const seen: number[] = [];
    const r = await transcribeFiles([corrupt, clip, rate, nan, missing], model, {
      onFile: (_, i) => seen.push(i),
    });
    expect(seen).toEqual([0, 1, 2, 3, 4]);
    expect(r.map((e) => e.ok)).toEqual([false, true, false, false, false]);
    const errors = r.flatMap((e) => (e.ok ? [] : [[e.error.code, e.error.message]]));
    expect(errors).toEqual([
      ['E_AUDIO_CORRUPT', expect.stringMatching(/^.*corrupt\.wav: truncated/)],
      [
        'E_SAMPLE_RATE',
        `${rate}: sample rate is 8000 Hz, the model takes 16000 Hz (allow resampling, or convert the file)`,
      ],
      ['E_NON_FINITE', expect.stringMatching(/nan\.wav: .*NaN/)],
      ['E_MISSING_FILE', `${missing}: no such file`],
    ]);
    // With resampling allowed the 8 kHz file goes through.
    const ok = await transcribeFiles([rate], model, { resample: true });
    expect(ok[0]!.ok).toBe(true);
  });
});

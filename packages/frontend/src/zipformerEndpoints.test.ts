/**
 * The Kaldi / sherpa-onnx endpoint rules on a multi-utterance stream of real speech with silences
 * of known lengths at known places: the fixture's LibriSpeech clips joined as
 *
 *   3.0 s silence | 0.wav | 2.0 s silence | 1.wav 0.wav (no pause: ~23 s of speech) | 2.0 s silence
 *
 * rule1 (2.4 s of silence, no speech) must fire in the leading silence, rule2 (1.2 s of silence
 * after speech) in each silence after speech, rule3 (an utterance of 20 s) inside the long
 * stretch of speech, and nothing anywhere else. Positions are checked to the 320 ms chunk the
 * detector sees: a rule fires on the first chunk boundary where its condition holds. sherpa-onnx
 * (npm WASM) cuts the same stream with its own rules, checked after every chunk: the same rules
 * must fire after the same chunks, with the same tokens in each utterance.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireFixture, zipformerDir } from '../test/paths';
import { openSherpaOnnxOracle } from '../test/sherpaOnnxOracle';
import {
  openZipformerPipeline,
  zipformerTailPaddingMs,
  type ZipformerPipeline,
} from '../test/zipformerPipeline';
import { createEndpointDetector, readAudioFile, transcribe, type Utterance } from './index';

const fixture = requireFixture(zipformerDir);
const chunkMs = 320;
/** Kaldi counts trailing silence from the frame after the last token, in 40 ms frames. */
const frameMs = 40;

describe.skipIf(!fixture.present)(`endpoint rules on a joined real-speech stream${fixture.note}`, () => {
  let pipeline: ZipformerPipeline;
  beforeAll(async () => {
    pipeline = await openZipformerPipeline(zipformerDir);
  });
  afterAll(async () => {
    await pipeline?.close();
  });

  it('fire in the silences and the long utterance they are meant for, once each, and nowhere else', async () => {
    const clip = async (id: string) =>
      (await readAudioFile(join(zipformerDir, 'test_wavs', `${id}.wav`), { sampleRate: 16000 })).samples;
    const [c0, c1] = [await clip('0'), await clip('1')];
    const silence = (ms: number) => new Float32Array(16 * ms);
    const parts = [silence(3000), c0, silence(2000), c1, c0, silence(2000)];
    // Where each part starts and ends, in ms.
    const edges = parts.reduce<number[]>((at, p) => [...at, at.at(-1)! + p.length / 16], [0]);
    const stream = new Float32Array(edges.at(-1)! * 16);
    parts.forEach((p, i) => stream.set(p, edges[i]! * 16));
    const region = (i: number): [number, number] => [edges[i]!, edges[i + 1]!];

    const r = await transcribe(stream, {
      ...pipeline.options,
      endOfUtterance: createEndpointDetector(),
      resetDecoderOnEndOfUtterance: true,
    });
    const u = r.utterances;
    expect(u.map((x) => x.endedBy)).toEqual(['rule1', 'rule2', 'rule3', 'rule2']);
    console.info(JSON.stringify(u.map((x) => [x.endedBy, x.endMs])));
    expect(r.eouTimesMs).toEqual(u.map((x) => x.endMs));
    const within = (x: Utterance, [from, to]: [number, number]) => {
      expect(x.endMs).toBeGreaterThanOrEqual(from);
      expect(x.endMs).toBeLessThanOrEqual(to);
    };
    const lastToken = (x: Utterance) => x.tokenTimesMs.at(-1)!;

    // rule1: no token in the leading silence; fires on the first chunk with 2.4 s decoded.
    expect(u[0]!.tokens).toEqual([]);
    within(u[0]!, region(0));
    expect(u[0]!.endMs).toBe(Math.ceil(2400 / chunkMs) * chunkMs);

    // rule2 after 0.wav: in the 2 s silence, 1.2 s of blank frames after its last token.
    within(u[1]!, region(2));
    expect(u[1]!.tokens.length).toBe(42); // the whole of 0.wav, and only it
    expect(u[1]!.tokenTimesMs[0]!).toBeGreaterThan(edges[1]!);
    expect(u[1]!.endMs - (lastToken(u[1]!) + frameMs)).toBeGreaterThanOrEqual(1200);
    expect(u[1]!.endMs - (lastToken(u[1]!) + frameMs)).toBeLessThan(1200 + chunkMs);

    // rule3: inside the ~23 s of speech, on the first chunk 20 s after the previous endpoint.
    within(u[2]!, [edges[3]!, edges[5]!]);
    expect(u[2]!.endMs - u[1]!.endMs).toBeGreaterThanOrEqual(20_000);
    expect(u[2]!.endMs - u[1]!.endMs).toBeLessThan(20_000 + chunkMs);
    // The pause between 1.wav and the second 0.wav is shorter than rule2's 1.2 s.
    expect(u[2]!.tokenTimesMs.some((t) => t > edges[4]!)).toBe(true);

    // rule2 again in the trailing silence; every token of the stream is in one of the utterances.
    within(u[3]!, region(5));
    expect(u[3]!.endMs - (lastToken(u[3]!) + frameMs)).toBeGreaterThanOrEqual(1200);
    expect(u[3]!.endMs - (lastToken(u[3]!) + frameMs)).toBeLessThan(1200 + chunkMs);
    expect(u.flatMap((x) => x.tokens)).toEqual(r.tokens);
    expect(r.tokens.length).toBeGreaterThan(42 + 95 + 30);
    // Nothing in the tail padding after rule2: 2 s of silence + 0.8 s is short of rule1's 2.4 s after it.
    expect(r.audioSeconds * 1000).toBe(edges.at(-1)!);

    // sherpa-onnx: the same endpoints after the same chunks, the same pieces in each utterance.
    const oracle = openSherpaOnnxOracle(zipformerDir, 'encoder.int8.onnx', 0.04);
    try {
      const theirs = oracle.endpoints(stream, 16 * zipformerTailPaddingMs);
      const spoken = (pieces: readonly string[]) => pieces.join('');
      expect(theirs.map((x) => [x.chunks * chunkMs, x.endpoint])).toEqual(u.map((x) => [x.endMs, true]));
      expect(theirs.map((x) => spoken(x.pieces))).toEqual(
        u.map((x) => spoken(x.tokens.map((t) => pipeline.tokens.get(t)!.replaceAll('▁', ' ')))),
      );
    } finally {
      oracle.free();
    }
  });
});

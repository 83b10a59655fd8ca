import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { encodeWav, readAudioFile, transcribe, createEouDebounceDetector } from '@eou/frontend';
import { modelDir } from '@eou/tiny-eou-model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clipPath, heldoutIds, heldoutLines, shippedSubset, writeAudioManifest } from '../test/heldoutAudio';
import { expandLayout, type ChunkLayout } from './chunkLayout';
import { openAudioModel } from './audioModel';
import { replayEndOfUtterance } from './eouTiming';
import type { GateReport } from './gateReport';
import { prepareCachedModel } from './prepareCachedModel';
import { readResults, type FileResult } from './resultsLog';
import { runAudioGate, type RunAudioGateOptions } from './runAudioGate';
import { runGate } from './runGate';
import { writeMultiUtteranceCorpus } from './writeMultiUtteranceCorpus';

let root: string;
let model: string;
let audio: string;
let multi: string;

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'eou-audiogate-'));
  model = await prepareCachedModel({
    sourceDir: modelDir,
    files: ['model.json', 'vocab.json', 'decoder.onnx', 'joint_decision.onnx', 'encoder_streaming.onnx'],
    cacheDir: path.join(root, 'cache'),
    name: 'tiny-eou',
    variants: ['lean'],
  });
  audio = writeAudioManifest(path.join(root, 'audio.jsonl'));
  const byId = new Map(heldoutLines().map((l) => [l.id, l]));
  const clip = (id: string) => ({
    audioPath: clipPath(id),
    text: byId.get(id)!.text,
    speechStart: byId.get(id)!.speech_start,
    speechEnd: byId.get(id)!.speech_end,
  });
  multi = await writeMultiUtteranceCorpus({
    outDir: path.join(root, 'multi'),
    streams: [
      { id: 'stream-a', clips: ['test-00000', 'test-00004', 'test-00015'].map(clip) },
      { id: 'stream-b', clips: ['test-00006', 'test-00012', 'test-00017'].map(clip) },
    ],
  });
}, 120_000);
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const base = (out: string): RunAudioGateOptions => ({
  modelDir: model,
  audioManifest: audio,
  cacheDir: path.join(root, 'cache'),
  candidates: ['lean'],
  outDir: path.join(root, out),
  workers: 1,
  provenance: { command: 't', versions: {} },
});

const resultsOf = (dir: string): FileResult[] => readResults(path.join(dir, 'results.jsonl')).files;

/**
 * The debounce by hand (docs/reference-system.md §2.2), for one chunked decode: the anchor is the end
 * of the first chunk that signals EOU without new tokens; new tokens clear it; under
 * `consecutive-chunks` so does any chunk without a signal; it confirms at the end of the first chunk
 * `debounceMs` or more after the anchor.
 */
function byHand(
  layout: ChunkLayout,
  tokenFrames: readonly number[],
  eouFrames: readonly number[],
  semantics: 'silence-since-last-token' | 'consecutive-chunks',
  listenMs = 0,
): number | null {
  const chunks = expandLayout(layout);
  const tail = Array.from(
    { length: Math.ceil((listenMs * layout.sampleRate) / 1000 / chunks[0]!.advanceSamples) },
    () => ({
      ...chunks[0]!,
      listen: true,
    }),
  );
  let start = 0;
  let endMs = 0;
  let anchor: number | null = null;
  let lastSignal = false;
  for (const c of [...chunks, ...tail]) {
    endMs += (c.advanceSamples * 1000) / layout.sampleRate;
    const listen = 'listen' in c;
    const inChunk = (f: number) => !listen && f >= start && f < start + c.frames;
    const tokens = tokenFrames.some(inChunk);
    const signal: boolean = listen ? lastSignal : eouFrames.some(inChunk);
    if (!listen) lastSignal = signal;
    if (tokens) anchor = null;
    else if (signal) anchor ??= endMs;
    else if (semantics === 'consecutive-chunks') anchor = null;
    if (anchor !== null && endMs - anchor >= 1280) return endMs;
    if (!listen) start += c.frames;
  }
  return null;
}

describe('the gate from audio', () => {
  let harnessReport: GateReport;
  it('reproduces the cached-frame gate on the shipped frames of the same files, under the same schedule', async () => {
    // tiny-160ms+harness decodes every column with EOU `reset`: what the cached-frame gate does by default.
    const r = await runAudioGate({ ...base('a-harness'), schedules: ['tiny-160ms+harness'] });
    harnessReport = r.runs[0]!.run.report;
    const cached = (
      await runGate({
        modelDir: model,
        dataDir: shippedSubset(path.join(root, 'shipped')),
        candidates: ['lean'],
        outDir: path.join(root, 'cached-reset'),
        workers: 1,
      })
    ).report!;
    expect(harnessReport.schedule?.name).toBe('tiny-160ms+harness');
    expect(harnessReport.corpus.eouPolicy).toBe('reset');
    expect(harnessReport.variants).toEqual(cached.variants);
    // Token-identical text; the harness drops the trailing partial window, and with it an EOU or two
    // the whole-utterance frames emit at their very end (not text, so no WER difference).
    const text = (dir: string) =>
      resultsOf(path.join(root, dir)).map((f) => f.variants['ref']!.tokens.filter((t) => t !== 353));
    expect(text('a-harness')).toEqual(text('cached-reset'));
    // tiny-160ms (the model's own production schedule) stops the chunk on EOU: the cached gate's stop-chunk.
    const p = (await runAudioGate({ ...base('a-model'), schedules: ['tiny-160ms'] })).runs[0]!.run.report;
    const cachedStop = (
      await runGate({
        modelDir: model,
        dataDir: path.join(root, 'shipped'),
        candidates: ['lean'],
        eouPolicy: 'stop-chunk',
        outDir: path.join(root, 'cached-stop'),
        workers: 1,
      })
    ).report!;
    expect(p.corpus.eouPolicy).toBe('stop-chunk');
    expect(p.variants.map((v) => [v.name, v.errors, v.wer])).toEqual(
      cachedStop.variants.map((v) => [v.name, v.errors, v.wer]),
    );
  });

  it('harness and production give different, explained numbers on the same audio, side by side', async () => {
    const r = await runAudioGate({ ...base('a-both'), schedules: ['harness', 'production'] });
    expect(r.runs.map((x) => x.schedule)).toEqual(['harness', 'production']);
    const [h, p] = r.runs.map((x) => x.run.report);
    expect(h!.variants[0]!.errors).not.toBe(p!.variants[0]!.errors);
    const c = r.comparison!;
    expect(c.schedules.map((s) => [s.schedule, s.eouPolicy])).toEqual([
      ['harness', 'reset'],
      ['production', 'stop-chunk'],
    ]);
    // What the two schedules differ in, named: the overlap, the decoded columns, the tail, the EOU policy.
    expect(Object.keys(c.differences).sort()).toEqual(['decodeFrames', 'eouPolicy', 'shiftSamples', 'tail']);
    expect(c.schedules[1]!.referenceTextDiffsVsFirst).toBeGreaterThan(0);
    for (const f of ['report.json', 'report.md', 'report.html'])
      expect(fs.existsSync(path.join(root, 'a-both', f)), f).toBe(true);
    for (const s of ['harness', 'production'])
      expect(fs.existsSync(path.join(root, 'a-both', s, 'report.json')), s).toBe(true);
    const md = fs.readFileSync(path.join(root, 'a-both', 'report.md'), 'utf8');
    expect(md).toContain('| harness | ref |');
    expect(md).toContain('| production | lean |');
    expect(md).toMatch(/What the schedules differ in: .*tail: harness "drop", production "pad"/);
    // Within each schedule every variant decodes the same frames: the lean graph is token-identical here.
    expect(h!.variants[1]!.seqDiffVsRef).toBe(0);
    // The encodings are cached: a second run encodes nothing.
    let encodedNow = -1;
    await runAudioGate({
      ...base('a-both-again'),
      schedules: ['harness'],
      onSchedule: (_s, _d, e) => (encodedNow = e.encodedNow),
    });
    expect(encodedNow).toBe(0);
  });

  it('EOU latency on synthetic audio with known speech ends equals the latency computed by hand from the token and EOU frames', () => {
    const files = resultsOf(path.join(root, 'a-harness'));
    const ends = heldoutLines().map((l) => l.speech_end * 1000);
    const hand = files.map((f, i) => {
      const v = f.variants['ref']!;
      const textFrames = v.tokenFrames!.filter((_, k) => v.tokens[k] !== 353);
      const t = byHand(f.chunking!, textFrames, v.eouFrames, 'silence-since-last-token', 3000);
      return t === null ? null : Math.round((t - ends[i]!) * 1000) / 1000;
    });
    expect(hand.every((x) => x !== null && x > 0)).toBe(true);
    expect(harnessReport.eou!.variants[0]!.latencies).toEqual(hand);
    const sorted = [...(hand as number[])].sort((a, b) => a - b);
    expect(harnessReport.eou!.variants[0]!.latencyMs).toMatchObject({
      p50: sorted[Math.round(0.5 * 5)],
      p90: sorted[Math.round(0.9 * 5)],
    });
    expect(harnessReport.eou!.endOfSpeech).toEqual({ manifest: 6, vad: 0, none: 0 });
  });

  it('the debounce semantics give different, explained latencies on the same stream', async () => {
    // A held-out clip, then silence with an 80 ms noise burst 1.54 s in: under the production schedule
    // the model skips its EOU signal in the chunks that hear the burst (and emits no token).
    const a = await readAudioFile(clipPath('test-00015'), { sampleRate: 16000 });
    const x = new Float32Array(a.samples.length + 48_000);
    x.set(a.samples);
    let seed = 7;
    for (let i = 0; i < 640; i++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      x[Math.round(1.54 * 16000) + i]! += 0.02 * 2 * (seed / 0x7fffffff - 0.5);
    }
    const dir = path.join(root, 'burst');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'burst.wav'), encodeWav(x, 16000, 'f32le'));
    const end = heldoutLines(['test-00015'])[0]!.speech_end;
    fs.writeFileSync(
      path.join(dir, 'audio.jsonl'),
      JSON.stringify({
        id: 'burst',
        audio_filepath: 'burst.wav',
        text: heldoutLines(['test-00015'])[0]!.text,
        speech_end: end,
      }) + '\n',
    );
    const run = async (semantics: 'silence-since-last-token' | 'consecutive-chunks') =>
      (
        await runAudioGate({
          ...base(`burst-${semantics}`),
          audioManifest: path.join(dir, 'audio.jsonl'),
          schedules: ['production'],
          eouDetector: { semantics },
          eouListenMs: 0,
        })
      ).runs[0]!;
    const current = await run('silence-since-last-token');
    const consecutive = await run('consecutive-chunks');
    const latency = (r: typeof current) => r.run.report.eou!.variants[0]!.latencies[0];
    expect(latency(current)).toBeLessThan(latency(consecutive)!);
    // By hand from the decode: the signal gap explains it.
    const f = resultsOf(current.outDir)[0]!;
    const v = f.variants['ref']!;
    const textFrames = v.tokenFrames!.filter((_, k) => v.tokens[k] !== 353);
    expect(latency(current)).toBe(
      Math.round(
        (byHand(f.chunking!, textFrames, v.eouFrames, 'silence-since-last-token')! - end * 1000) * 1000,
      ) / 1000,
    );
    expect(latency(consecutive)).toBe(
      Math.round((byHand(f.chunking!, textFrames, v.eouFrames, 'consecutive-chunks')! - end * 1000) * 1000) /
        1000,
    );
    const firstSignal = Math.min(...v.eouFrames);
    const gap = Array.from({ length: 12 }, (_, k) => firstSignal + k).filter(
      (fr) => !v.eouFrames.includes(fr),
    );
    expect(gap.length).toBeGreaterThan(0);
  });

  it('replays EOU exactly as the streaming transcriber confirms it on the same audio and schedule', async () => {
    const m = await openAudioModel(model);
    try {
      for (const schedule of ['tiny-160ms+harness', 'production']) {
        const r = await runAudioGate({
          ...base(`replay-${schedule}`),
          audioManifest: multi,
          schedules: [schedule],
          eouListenMs: 0,
        });
        for (const f of resultsOf(r.runs[0]!.outDir)) {
          const samples = (
            await readAudioFile(path.join(root, 'multi', `${f.id}.wav`), { sampleRate: 16000 })
          ).samples;
          const t = await transcribe(samples, {
            ...m.transcriberOptions(schedule),
            endOfUtterance: createEouDebounceDetector(),
          });
          const v = f.variants['ref']!;
          expect(
            replayEndOfUtterance(
              { kind: 'debounce', debounceMs: 1280, semantics: 'silence-since-last-token' },
              f.chunking!,
              { tokens: v.tokens, tokenFrames: v.tokenFrames!, eouFrames: v.eouFrames },
              353,
            ),
          ).toEqual(t.eouTimesMs);
          expect(v.tokens.filter((x) => x !== 353)).toEqual(t.tokens);
        }
      }
    } finally {
      await m.close();
    }
  });

  it('multi-utterance streams: a stop-chunk host that keeps its state stops decoding after the first EOU; one that resets goes on', async () => {
    const stopped = (
      await runAudioGate({ ...base('multi-stop'), audioManifest: multi, schedules: ['tiny-160ms'] })
    ).runs[0]!.run.report;
    const rule = stopped.verdict.rules.filter((r) => r.metric === 'streamsStoppedAfterEou');
    expect(rule.map((r) => [r.variant, r.value, r.pass])).toEqual([
      ['ref', 1, false],
      ['lean', 1, false],
    ]);
    expect(stopped.verdict.pass).toBe(false);
    expect(stopped.eou!.multiUtteranceStreams).toBe(2);
    expect(stopped.eou!.variants[0]!.multiUtterance).toMatchObject({
      streams: 2,
      utterances: 6,
      streamsStoppedAfterEou: 1,
    });
    const reset = (
      await runAudioGate({
        ...base('multi-reset'),
        audioManifest: multi,
        schedules: ['tiny-160ms'],
        resetOnEndOfUtterance: true,
      })
    ).runs[0]!.run.report;
    expect(reset.verdict.pass).toBe(true);
    expect(reset.eou!.variants[0]!.multiUtterance).toEqual({
      streams: 2,
      utterances: 6,
      utterancesWithoutWords: 0,
      utterancesWithoutEou: 0,
      streamsStoppedAfterEou: 0,
    });
    expect(reset.eou!.variants[0]!.detected).toBe(6);
    const md = fs.readFileSync(path.join(root, 'multi-stop', 'report.md'), 'utf8');
    expect(md).toContain('## Multi-utterance streams (decoding must go on after each EOU)');
    expect(fs.readFileSync(path.join(root, 'multi-stop', 'report.html'), 'utf8')).toContain(
      'EOU latency after the end of speech',
    );
    expect(heldoutIds.length).toBe(6);
  });
});

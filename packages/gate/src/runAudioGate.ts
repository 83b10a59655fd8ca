/**
 * The gate from audio: each named chunk schedule encodes the audio manifest once into a
 * content-addressed corpus of cached frames (audio hashes + encoder hash + features + schedule, see
 * `encodeCorpus`), then the ordinary gate runs on it, so every variant still decodes identical
 * frames and the report is the cached-frame gate's, with the schedule named. Several schedules gate
 * the same candidates under each: every schedule has its own full report in `<outDir>/<schedule>/`
 * (resumable like any gate run), and `<outDir>/report.{json,md,html}` puts them side by side (WER,
 * token identity, EOU timing and verdict per schedule and variant). With one schedule the report is
 * written to `outDir` itself.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { SpeechSegmentOptions } from '@eou/frontend';
import { encodeCorpus, type EncodeCorpusResult } from './encodeCorpus';
import type { GateReport } from './gateReport';
import { runGate, type GateRunResult, type RunGateOptions } from './runGate';
import { compareSchedules, renderScheduleComparison, type ScheduleComparison } from './scheduleComparison';
import { writeAtomic } from './writeAtomic';
import { writingTo } from './writeFailure';

/** Options of {@link runAudioGate}: the gate's, with audio in place of `dataDir`. */
export interface RunAudioGateOptions extends Omit<RunGateOptions, 'dataDir' | 'shard'> {
  /** NeMo JSONL, Kaldi `wav.scp` (with `text`), or a Kaldi data directory. */
  readonly audioManifest: string;
  /** Schedules to gate under (default: the model's first declared, else `production`). */
  readonly schedules?: readonly string[];
  /** Cache root for the encoded corpora (`<cacheDir>/corpora/<key>`). */
  readonly cacheDir: string;
  readonly dtype?: 'float32' | 'float16';
  readonly resample?: boolean;
  /** A Silero VAD for files whose manifest line has no end of speech. */
  readonly vad?: string;
  readonly vadOptions?: SpeechSegmentOptions;
  /** Files encoded at a time (default 2). */
  readonly encodeConcurrency?: number;
  /** Encoding progress per schedule. */
  readonly onEncodeProgress?: (
    schedule: string,
    p: { readonly done: number; readonly total: number },
  ) => void;
  /** Called when a schedule starts gating. */
  readonly onSchedule?: (schedule: string, corpusDir: string, encoded: EncodeCorpusResult) => void;
}

/** One schedule's run. */
export interface ScheduleRun {
  readonly schedule: string;
  readonly corpusDir: string;
  readonly outDir: string;
  readonly encoded: EncodeCorpusResult;
  readonly run: GateRunResult & { readonly report: GateReport };
}

/** What {@link runAudioGate} did. */
export interface AudioGateResult {
  readonly runs: readonly ScheduleRun[];
  /** Present with two or more schedules. */
  readonly comparison?: ScheduleComparison;
  /** Every schedule's verdict passed. */
  readonly pass: boolean;
}

/** A directory name for a schedule (names may hold `+`). */
const dirName = (schedule: string) => schedule.replace(/[^A-Za-z0-9._+-]/g, '_');

/**
 * Runs the gate from audio under each schedule (see the module comment). The EOU policy of each
 * schedule's gate is `eouPolicy` when given, else the schedule's own (`harness` resets, `production`
 * stops the chunk), else `stop-chunk`, as in the streaming transcriber.
 * @throws what {@link encodeCorpus} and {@link runGate} throw
 */
export async function runAudioGate(options: RunAudioGateOptions): Promise<AudioGateResult> {
  const {
    audioManifest,
    schedules: names,
    cacheDir,
    dtype,
    resample,
    vad,
    vadOptions,
    encodeConcurrency,
    onEncodeProgress,
    onSchedule,
    ...gate
  } = options;
  const list: readonly (string | undefined)[] = names ?? [undefined];
  if (list.length === 0) throw new RangeError('`schedules` must name at least one schedule');
  const dup = list.find((s, i) => s !== undefined && list.indexOf(s) !== i);
  if (dup !== undefined) throw new RangeError(`\`schedules\` names '${dup}' twice`);
  const runs: ScheduleRun[] = [];
  for (const name of list) {
    const encoded = await encodeCorpus({
      modelDir: gate.modelDir,
      manifest: audioManifest,
      cacheDir,
      ...(name === undefined ? {} : { schedule: name }),
      ...(dtype === undefined ? {} : { dtype }),
      ...(resample === undefined ? {} : { resample }),
      ...(vad === undefined ? {} : { vad }),
      ...(vadOptions === undefined ? {} : { vadOptions }),
      ...(encodeConcurrency === undefined ? {} : { concurrency: encodeConcurrency }),
      ...(gate.provenance?.versions === undefined ? {} : { versions: gate.provenance.versions }),
      ...(onEncodeProgress === undefined
        ? {}
        : { onProgress: (p) => onEncodeProgress(name ?? 'default', p) }),
    });
    const schedule = encoded.schedule;
    const outDir = list.length === 1 ? gate.outDir : path.join(gate.outDir, dirName(schedule));
    onSchedule?.(schedule, encoded.dir, encoded);
    const policy =
      gate.eouPolicy ?? (encoded.provenance.schedule['eouPolicy'] as RunGateOptions['eouPolicy']);
    const run = await runGate({
      ...gate,
      dataDir: encoded.dir,
      outDir,
      eouPolicy: policy ?? 'stop-chunk',
    });
    runs.push({ schedule, corpusDir: encoded.dir, outDir, encoded, run: run as ScheduleRun['run'] });
  }
  const pass = runs.every((r) => r.run.report.verdict.pass);
  if (runs.length < 2) return { runs, pass };
  const comparison = compareSchedules(
    runs.map((r) => ({ schedule: r.schedule, outDir: r.outDir, report: r.run.report })),
  );
  writingTo(gate.outDir, () => fs.mkdirSync(gate.outDir, { recursive: true }));
  const write = (name: string, text: string) => {
    const file = path.join(gate.outDir, name);
    writingTo(file, () => writeAtomic(file, text));
  };
  write('report.json', JSON.stringify(comparison, null, 2) + '\n');
  write('report.md', renderScheduleComparison(comparison, 'markdown'));
  write('report.html', renderScheduleComparison(comparison, 'html'));
  return { runs, comparison, pass };
}

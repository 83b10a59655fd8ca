/**
 * Where the speech of a corpus file ends, which end-of-utterance timing is measured against. Read
 * from a manifest line (seconds, NeMo style): `speech_end` (and optional `speech_start`) for a file
 * of one utterance, or `utterances: [{ text, speech_start, speech_end }, ...]` for a stream of
 * several (a multi-utterance corpus). `speech_end_source` says who measured it: the corpus itself
 * (`manifest`, e.g. the synthetic sets, which know where they put the speech) or a VAD (`vad`,
 * written by `eou encode --vad`).
 */

/** One utterance of a file, in ms of audio. */
export interface UtteranceTruth {
  /** Where its speech starts (the previous utterance's words end before it), or null when unknown. */
  readonly startMs: number | null;
  readonly endMs: number;
  /** Its reference text, when the manifest gives one per utterance. */
  readonly text?: string;
}

/** A file's speech: its utterances in order, and who measured them. */
export interface SpeechTruth {
  readonly source: 'manifest' | 'vad';
  readonly utterances: readonly UtteranceTruth[];
}

const seconds = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;
const ms = (s: number) => Math.round(s * 1e6) / 1e3;

/**
 * The speech truth of a manifest line's extra keys.
 * @returns the truth, undefined when the line has none, or a one-line reason it is malformed
 */
export function speechTruthOf(extra: Readonly<Record<string, unknown>>): SpeechTruth | string | undefined {
  const src = extra['speech_end_source'] ?? 'manifest';
  if (src !== 'manifest' && src !== 'vad')
    return `\`speech_end_source\` must be "manifest" or "vad", got ${JSON.stringify(src)}`;
  const list = extra['utterances'];
  if (list !== undefined) {
    if (!Array.isArray(list) || list.length === 0) return '`utterances` must be a non-empty array';
    const utterances: UtteranceTruth[] = [];
    for (let i = 0; i < list.length; i++) {
      const u = list[i] as Record<string, unknown> | null;
      if (typeof u !== 'object' || u === null) return `\`utterances[${i}]\` must be an object`;
      if (!seconds(u['speech_end'])) return `\`utterances[${i}].speech_end\` must be seconds >= 0`;
      if (!seconds(u['speech_start'])) return `\`utterances[${i}].speech_start\` must be seconds >= 0`;
      if (u['speech_end'] < u['speech_start'])
        return `\`utterances[${i}]\` ends (${u['speech_end']} s) before it starts (${u['speech_start']} s)`;
      const prev = utterances[i - 1];
      if (prev !== undefined && ms(u['speech_start']) < prev.endMs)
        return `\`utterances[${i}]\` starts (${u['speech_start']} s) before utterance ${i - 1} ends`;
      if (u['text'] !== undefined && typeof u['text'] !== 'string')
        return `\`utterances[${i}].text\` must be a string`;
      utterances.push({
        startMs: ms(u['speech_start']),
        endMs: ms(u['speech_end']),
        ...(typeof u['text'] === 'string' ? { text: u['text'] } : {}),
      });
    }
    return { source: src, utterances };
  }
  const end = extra['speech_end'];
  if (end === undefined || end === null) return undefined;
  if (!seconds(end)) return `\`speech_end\` must be seconds >= 0, got ${JSON.stringify(end)}`;
  const start = extra['speech_start'];
  if (start !== undefined && !seconds(start))
    return `\`speech_start\` must be seconds >= 0, got ${JSON.stringify(start)}`;
  return { source: src, utterances: [{ startMs: start === undefined ? null : ms(start), endMs: ms(end) }] };
}

/**
 * `eou wer --ref REF --hyp HYP`: scores a hypothesis transcript file against a reference file
 * (Kaldi `id text` lines; `.trn` and `manifest.jsonl` are recognised by extension). Utterances are
 * paired by id; ids found on one side only are an error unless `--allow-missing` scores them as
 * empty transcripts, and either way they are reported.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
// The light entry of @eou/gate: reading a manifest loads no ONNX Runtime.
import { parseManifest } from '@eou/gate/manifest';
import {
  formatAlignment,
  formatScoreSummary,
  normalizerByName,
  normalizerNames,
  parseKaldiText,
  parseTrn,
  processTokens,
  pairById,
  splitCharacters,
  toJson,
  WerError,
  type TranscriptEntry,
} from '@eou/wer';
import { CLIError, ExitCode } from '../cliError';
import { defineCommand } from '../command';

function readTranscripts(
  flag: string,
  value: unknown,
  cwd: string,
): { file: string; entries: TranscriptEntry[] } {
  if (typeof value !== 'string' || value === '')
    throw new CLIError(`eou wer: ${flag} FILE is required (see \`eou wer --help\`)`);
  const file = path.resolve(cwd, value);
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT'
        ? 'no such file'
        : error instanceof Error
          ? error.message
          : String(error);
    throw new CLIError(`eou wer: ${flag} ${value}: ${reason}`, 'E_BAD_INPUT', { cause: error });
  }
  // A WerError or GateError here names the file and line; `eou` prints it as it is.
  if (file.endsWith('.jsonl')) return { file: value, entries: parseManifest(bytes, value) };
  if (file.endsWith('.trn')) return { file: value, entries: parseTrn(bytes, value) };
  return { file: value, entries: parseKaldiText(bytes, value) };
}

function listIds(ids: readonly string[]): string {
  return ids.length > 5 ? `${ids.slice(0, 5).join(', ')}, ... (${ids.length - 5} more)` : ids.join(', ');
}

export default defineCommand({
  name: 'wer',
  description: 'Score a hypothesis transcript file against a reference file (WER or CER, S/D/I, alignments).',
  options: {
    ref: {
      type: 'string',
      valueName: 'FILE',
      description: 'Reference transcripts: Kaldi `id text` lines (or .trn, or manifest.jsonl).',
    },
    hyp: {
      type: 'string',
      valueName: 'FILE',
      description: 'Hypothesis transcripts, same formats; paired with the references by id.',
    },
    json: { type: 'boolean', description: 'Print one JSON document on stdout.' },
    normalizer: {
      type: 'string',
      valueName: 'NAME',
      default: 'none',
      description: `Text normaliser for both sides: ${normalizerNames.join(', ')}. none = split on whitespace only; harness = lower-case + split; production = English normaliser.`,
    },
    cer: {
      type: 'boolean',
      description: 'Character error rate (code points; one space between words counts) instead of WER.',
    },
    alignment: {
      type: 'boolean',
      description: 'Print the alignment of every utterance (REF/HYP/ops lines; in JSON, `alignments`).',
    },
    'skip-correct': {
      type: 'boolean',
      description: 'With --alignment, leave out utterances without errors.',
    },
    'allow-missing': {
      type: 'boolean',
      description:
        'Score ids found on one side only as empty transcripts (all deletions / all insertions) instead of failing.',
    },
  },
  examples: [
    'eou wer --ref ref.txt --hyp hyp.txt',
    'eou wer --ref ref.txt --hyp hyp.txt --normalizer harness --json',
    'eou wer --ref ref.txt --hyp hyp.txt --alignment --skip-correct',
  ],
  async run(ctx) {
    const { options } = ctx;
    const ref = readTranscripts('--ref', options.ref, ctx.cwd);
    const hyp = readTranscripts('--hyp', options.hyp, ctx.cwd);
    const normalizerName = String(options.normalizer);
    let normalize: (text: string) => string[];
    try {
      normalize = normalizerByName(normalizerName);
    } catch (error) {
      throw new CLIError(`eou wer: --normalizer: ${(error as Error).message}`, 'E_USAGE', { cause: error });
    }
    const allowMissing = options['allow-missing'] === true;
    let paired;
    try {
      paired = pairById(
        new Map(ref.entries.map((e) => [e.id, e.text])),
        new Map(hyp.entries.map((e) => [e.id, e.text])),
        {
          missing: allowMissing ? 'empty' : 'error',
          referenceName: ref.file,
          hypothesisName: hyp.file,
        },
      );
    } catch (error) {
      if (error instanceof WerError) {
        throw new CLIError(
          `eou wer: ${error.message}; pass --allow-missing to score them as empty transcripts`,
          'E_BAD_INPUT',
          { cause: error },
        );
      }
      throw error;
    }
    const { ids, refs, hyps, missingInHyp, missingInRef } = paired;
    if (missingInHyp.length) {
      ctx.stderr.write(
        `eou wer: warning: ${missingInHyp.length} id(s) of ${ref.file} have no hypothesis, scored as all deletions: ${listIds(missingInHyp)}\n`,
      );
    }
    if (missingInRef.length) {
      ctx.stderr.write(
        `eou wer: warning: ${missingInRef.length} id(s) of ${hyp.file} have no reference, scored as all insertions: ${listIds(missingInRef)}\n`,
      );
    }
    const cer = options.cer === true;
    const tokens = (text: string) => (cer ? splitCharacters(normalize(text).join(' ')) : normalize(text));
    const out = processTokens(refs.map(tokens), hyps.map(tokens));
    const utterances = out.utterances.map((u, i) => ({ id: ids[i]!, ...u }));
    if (options.json) {
      const doc = {
        wer: out.wer,
        errors: out.errors,
        substitutions: out.substitutions,
        deletions: out.deletions,
        insertions: out.insertions,
        hits: out.hits,
        referenceWords: out.referenceWords,
        hypothesisWords: out.hypothesisWords,
        utterances: ids.length,
        meanUtteranceWer: out.meanUtteranceWer,
        unit: cer ? 'character' : 'word',
        normalizer: normalizerName,
        reference: ref.file,
        hypothesis: hyp.file,
        missingInHyp,
        missingInRef,
        ...(options.alignment
          ? {
              alignments: utterances
                .filter((u) => !(options['skip-correct'] && u.errors === 0))
                .map((u) => ({
                  id: u.id,
                  errors: u.errors,
                  reference: u.reference,
                  hypothesis: u.hypothesis,
                  chunks: u.chunks,
                })),
            }
          : {}),
      };
      ctx.stdout.write(toJson(doc, { indent: 0 }));
      return ExitCode.ok;
    }
    if (options.alignment) {
      const text = formatAlignment(utterances, { skipCorrect: options['skip-correct'] === true });
      if (text) ctx.stdout.write(`${text}\n`);
    }
    ctx.stdout.write(formatScoreSummary({ ...out, utterances }, cer ? 'CER' : 'WER'));
    return ExitCode.ok;
  },
});

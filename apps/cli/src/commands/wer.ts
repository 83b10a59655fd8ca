/**
 * `eou wer --ref REF --hyp HYP`: scores a hypothesis transcript file against a reference file.
 * The format of each file (`kaldi`, `plain`, `trn`, `manifest`) is named with `--format` or
 * detected from the content by `@eou/wer`, and the output says which was used; content that fits
 * more than one format is an error naming the flag to pass. Plain files pair line by line (as
 * jiwer does), the others by id; ids found on one side only are an error unless `--allow-missing`
 * scores them as empty transcripts, and either way they are reported.
 */
import path from 'node:path';
import {
  formatAlignment,
  formatPercent,
  formatPra,
  formatScoreSummary,
  formatSysSummary,
  formatTrn,
  normalizerByName,
  normalizerNames,
  pairTranscripts,
  processTokens,
  readTranscriptPair,
  splitCharacters,
  toJson,
  transcriptFormats,
  utteranceRecords,
  WerError,
  type TranscriptFile,
  type TranscriptFormat,
} from '@eou/wer';
import { CLIError, ExitCode } from '../cliError';
import { defineCommand } from '../command';
import { writeFailureAsBadInput } from '../errors';
import { inputLimit, readInputFile } from '../inputFiles';
import { writeFilesAtomically } from '../writeFiles';

function readBytes(
  flag: string,
  value: string | undefined,
  cwd: string,
  limit: number,
): { file: string; bytes: Buffer } {
  if (value === undefined || value === '')
    throw new CLIError(`eou wer: ${flag} FILE is required (see \`eou wer --help\`)`);
  const file = path.resolve(cwd, value);
  try {
    return { file: value, bytes: readInputFile(file, limit, `eou wer: ${flag} `) };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new CLIError(`eou wer: ${flag} ${value}: no such file`, 'E_BAD_INPUT', { cause: error });
    throw error;
  }
}

function listIds(ids: readonly string[]): string {
  return ids.length > 5 ? `${ids.slice(0, 5).join(', ')}, ... (${ids.length - 5} more)` : ids.join(', ');
}

/** `ref.txt: plain (detected: ...)`: the format a file was read as, and why. */
function formatLine(f: TranscriptFile): string {
  return `${f.file}: ${f.format} (${f.detected ? `detected: ${f.how}` : 'named with --format'}; paired by ${f.pairing})`;
}

const formatRecord = (f: TranscriptFile) => ({
  file: f.file,
  format: f.format,
  detected: f.detected,
  how: f.how,
  pairing: f.pairing,
});

export default defineCommand({
  name: 'wer',
  description:
    'Score a hypothesis transcript file against a reference file (WER or CER, SER, S/D/I, alignments, sclite-style files). With no reference words: the WER is undefined (printed as such, `null` in JSON; exit 0, as the counts are still valid).',
  options: {
    ref: {
      type: 'string',
      valueName: 'FILE',
      description:
        'Reference transcripts: Kaldi `id text` lines, plain lines, sclite .trn or a JSONL manifest.',
    },
    hyp: {
      type: 'string',
      valueName: 'FILE',
      description: 'Hypothesis transcripts, same formats (paired by id, or by line for plain files).',
    },
    format: {
      type: 'enum',
      choices: transcriptFormats,
      valueName: 'F',
      description: `Format of both files: ${transcriptFormats.join(', ')} (default: detected from the content; ambiguous content is an error that says which to name).`,
    },
    'hyp-key': {
      type: 'string',
      valueName: 'KEY',
      description: 'Manifest hypotheses: the key of the transcript (default text; NeMo writes pred_text).',
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
    sclite: {
      type: 'boolean',
      description:
        "sclite's alignment (substitution 4, insertion and deletion 3, its tie-breaks): per-utterance C/S/D/I equal sclite's. Default: Levenshtein (fewest edits, as jiwer).",
    },
    'per-utterance': {
      type: 'boolean',
      description:
        'Each utterance: id, hits, substitutions, deletions, insertions, rate (in JSON, `perUtterance`).',
    },
    alignment: {
      type: 'boolean',
      description: 'Print the alignment of every utterance (REF/HYP/ops lines; in JSON, `alignments`).',
    },
    'skip-correct': {
      type: 'boolean',
      description: 'With --alignment, leave out utterances without errors.',
    },
    out: {
      type: 'string',
      valueName: 'DIR',
      description:
        'Write sclite-style files: ref.trn and hyp.trn (the processed words), hyp.trn.pra (alignments) and hyp.trn.sys (summary by speaker).',
    },
    'allow-missing': {
      type: 'boolean',
      description:
        'Score ids found on one side only as empty transcripts (all deletions / all insertions) instead of failing.',
    },
  },
  examples: [
    'eou wer --ref ref.txt --hyp hyp.txt',
    'eou wer --ref ref.txt --hyp hyp.txt --format plain --normalizer harness --json',
    'eou wer --ref ref.trn --hyp hyp.trn --sclite --per-utterance --out sclite-out',
    'eou wer --ref ref.txt --hyp hyp.txt --alignment --skip-correct',
  ],
  async run(ctx) {
    const { options } = ctx;
    const limit = inputLimit(ctx.env);
    const refIn = readBytes('--ref', options.ref, ctx.cwd, limit);
    const hypIn = readBytes('--hyp', options.hyp, ctx.cwd, limit);
    const normalizerName = options.normalizer;
    let normalize: (text: string) => string[];
    try {
      normalize = normalizerByName(normalizerName);
    } catch (error) {
      throw new CLIError(`eou wer: --normalizer: ${(error as Error).message}`, 'E_USAGE', { cause: error });
    }
    const cer = options.cer;
    if (cer && options.out !== undefined)
      throw new CLIError('eou wer: --out writes word-level sclite files; drop --cer or --out');
    const format: TranscriptFormat | undefined = options.format;
    const hypKey = options['hyp-key'];
    // A WerError here (E_FORMAT, E_BINARY, ...) names the file and line; `eou` prints it as it is.
    const [ref, hyp] = readTranscriptPair(refIn.bytes, hypIn.bytes, {
      reference: { file: refIn.file, ...(format ? { format } : {}) },
      hypothesis: {
        file: hypIn.file,
        ...(format ? { format } : {}),
        ...(hypKey !== undefined ? { textKey: hypKey } : {}),
      },
    });
    let paired;
    try {
      paired = pairTranscripts(ref, hyp, { missing: options['allow-missing'] ? 'empty' : 'error' });
    } catch (error) {
      if (error instanceof WerError && error.code === 'E_MISSING_ID') {
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
    const tokens = (text: string) => (cer ? splitCharacters(normalize(text).join(' ')) : normalize(text));
    const costs = options.sclite ? 'sclite' : 'unit';
    const out = processTokens(refs.map(tokens), hyps.map(tokens), {
      costs,
      unit: cer ? 'characters' : 'words',
    });
    const utterances = out.utterances.map((u, i) => ({ id: ids[i]!, ...u }));
    if (options.out !== undefined) {
      const dir = path.resolve(ctx.cwd, options.out);
      let files: Record<string, string>;
      try {
        files = {
          'ref.trn': formatTrn(utterances.map((u) => ({ id: u.id, words: u.reference }))),
          'hyp.trn': formatTrn(utterances.map((u) => ({ id: u.id, words: u.hypothesis }))),
          'hyp.trn.pra': formatPra(utterances, { system: 'hyp.trn' }),
          'hyp.trn.sys': formatSysSummary(utterances, { system: 'hyp.trn' }),
        };
      } catch (error) {
        // formatTrn refuses ids sclite cannot read back (whitespace, parentheses).
        if (error instanceof RangeError)
          throw new CLIError(`eou wer: --out: ${error.message}`, 'E_BAD_INPUT', { cause: error });
        throw error;
      }
      try {
        writeFilesAtomically(dir, files);
      } catch (error) {
        writeFailureAsBadInput('wer', dir, error);
      }
      ctx.stderr.write(`eou wer: wrote ${Object.keys(files).join(', ')} to ${dir}\n`);
    }
    const unit = cer ? 'characters' : 'words';
    if (options.json) {
      const doc = {
        wer: out.wer,
        ...(cer ? { cer: out.wer } : {}),
        rate: out.rate,
        errors: out.errors,
        substitutions: out.substitutions,
        deletions: out.deletions,
        insertions: out.insertions,
        hits: out.hits,
        referenceWords: out.referenceWords,
        hypothesisWords: out.hypothesisWords,
        utterances: ids.length,
        ser: out.ser,
        sentenceErrors: out.sentenceErrors,
        sentences: out.sentences,
        meanUtteranceWer: out.meanUtteranceWer,
        unit: cer ? 'character' : 'word',
        alignmentCosts: costs,
        normalizer: normalizerName,
        reference: ref.file,
        hypothesis: hyp.file,
        formats: { reference: formatRecord(ref), hypothesis: formatRecord(hyp) },
        missingInHyp,
        missingInRef,
        ...(options['per-utterance'] ? { perUtterance: utteranceRecords(utterances) } : {}),
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
    ctx.stdout.write(`reference  ${formatLine(ref)}\nhypothesis ${formatLine(hyp)}\n`);
    if (options.sclite) ctx.stdout.write("alignment  sclite's weighted costs (S 4, D 3, I 3)\n");
    if (options.alignment) {
      const text = formatAlignment(utterances, { skipCorrect: options['skip-correct'] });
      if (text) ctx.stdout.write(`${text}\n`);
    }
    if (options['per-utterance']) {
      const records = utteranceRecords(utterances);
      const w = Math.max(2, ...records.map((r) => r.id.length));
      ctx.stdout.write(
        `${'id'.padEnd(w)}  ${['C', 'S', 'D', 'I'].map((c) => c.padStart(5)).join('')}  rate\n`,
      );
      for (const r of records)
        ctx.stdout.write(
          `${r.id.padEnd(w)}  ${[r.hits, r.substitutions, r.deletions, r.insertions].map((v) => String(v).padStart(5)).join('')}  ${r.wer === null ? 'undefined' : formatPercent(r.wer)}\n`,
        );
    }
    ctx.stdout.write(formatScoreSummary({ ...out, utterances }, cer ? 'CER' : 'WER', { unit }));
    return ExitCode.ok;
  },
});

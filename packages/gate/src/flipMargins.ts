/**
 * Argmax flips of each candidate at teacher-forced steps, with the reference's logit margin: how
 * close to a tie the frames were on which a candidate decided otherwise.
 */
import fs from 'node:fs';
import { openVariantStepper, resolveParityConfig, teacherForced } from '@eou/fusion';
import { openOnnxSession } from '@eou/onnx-runtime';
import { parseNpy, type ModelConfig } from '@eou/rnnt-decode';
import type { FlipMargins } from './gateReport';
import { GateError } from './gateError';
import type { FileResult } from './resultsLog';
import type { GateSettings } from './settings';
import { executionVariant } from './variantFiles';

/**
 * Argmax flips of each candidate at teacher-forced steps of the files whose token sequence differs
 * from the reference's, with the reference's top-1 minus top-2 logit margin (when it has a top-k
 * head). Bounded to the first `limit` differing files per candidate, in manifest order.
 *
 * @param framesPathOf where each file id's frames are.
 * @throws {GateError} `E_BAD_CORPUS` when a differing file's id is not in `framesPathOf` (the corpus
 *   changed since the log was written).
 */
export async function flipMargins(
  settings: GateSettings,
  model: ModelConfig,
  files: readonly FileResult[],
  framesPathOf: ReadonlyMap<string, string>,
  limit = 40,
): Promise<FlipMargins[]> {
  // Teacher forcing steps the eou layout's LSTM variants; a model without an EOU token is of
  // another family (the sherpa-onnx layout), whose variants the parity stepper does not open.
  if (model.eouId === undefined || model.layout !== 'eou') return [];
  const config = resolveParityConfig({
    blankId: model.blankId,
    eouId: model.eouId,
    maxSymbolsPerFrame: model.maxSymbolsPerFrame,
    eouPolicy: settings.eouPolicy,
    vocabSize: model.vocabSize,
  });
  const open = (p: string) => openOnnxSession(p, { intraOpNumThreads: 1, interOpNumThreads: 1 });
  const ordered = [...files].sort((a, b) => a.index - b.index);
  const out: FlipMargins[] = [];
  // The reference is loaded only when some candidate differs from it (usually none does).
  let ref: Awaited<ReturnType<typeof openVariantStepper>> | undefined;
  try {
    for (const candidate of settings.candidates) {
      const diffs = ordered
        .filter((f) => f.status === 'ok' && f.variants[candidate]?.seqDiff)
        .slice(0, limit);
      const margins: number[] = [];
      if (diffs.length) {
        ref ??= await openVariantStepper(settings.modelDir, executionVariant(settings.reference), open);
        const b = await openVariantStepper(settings.modelDir, executionVariant(candidate), open);
        try {
          for (const f of diffs) {
            const framesPath = framesPathOf.get(f.id);
            if (framesPath === undefined)
              throw new GateError('E_BAD_CORPUS', `${settings.dataDir}/manifest.jsonl: no entry '${f.id}'`, {
                file: `${settings.dataDir}/manifest.jsonl`,
                field: 'id',
              });
            const npy = parseNpy(new Uint8Array(fs.readFileSync(framesPath)), framesPath);
            const r = await teacherForced(ref, b, npy.data, npy.dims[0], config);
            for (const flip of r.flips)
              if (flip.marginA !== null) margins.push(Math.round(flip.marginA * 1e6) / 1e6);
          }
        } finally {
          await b.close();
        }
      }
      out.push({ variant: candidate, margins, filesChecked: diffs.length });
    }
  } finally {
    await ref?.close();
  }
  return out;
}

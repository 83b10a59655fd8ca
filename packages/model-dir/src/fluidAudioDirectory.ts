/**
 * The model.json of a FluidAudio Parakeet EOU folder (`decoder.mlmodelc`, `joint_decision.mlmodelc`,
 * `streaming_encoder.mlmodelc` or `.mlpackage`, `vocab.json`; no model.json), derived from the
 * graphs' declared inputs and outputs and the vocabulary: H from the decoder's `h_in`, E from the
 * joint's `encoder_step`, K from `top_k_ids`, V from the joint's logits in its ML Program, the EOU
 * and EOB ids from their pieces, blank = V-1 (NeMo's convention). Weights are not read (the
 * published folders keep them out of git).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  mainFunction,
  readMlmodelc,
  readMlpackage,
  type CoreMLModel,
  type FeatureDescription,
} from '@eou/coreml-format';
import { modelConfigFormat, parseVocab } from '@eou/rnnt-decode';
import { ModelDirError } from './modelDirError';
import type { DerivedModelJson } from './sherpaOnnxDirectory';

/** FluidAudio's graph names, by role. */
export const fluidAudioGraphs = {
  decoder: 'decoder',
  joint: 'joint_decision',
  encoder: 'streaming_encoder',
  preprocessor: 'parakeet_eou_preprocessor',
} as const;

/** The CoreML extension a graph comes in here (`mlmodelc` first, as FluidAudio loads it), if any. */
export function coremlGraph(names: readonly string[], stem: string): 'mlmodelc' | 'mlpackage' | undefined {
  if (names.includes(`${stem}.mlmodelc`)) return 'mlmodelc';
  if (names.includes(`${stem}.mlpackage`)) return 'mlpackage';
  return undefined;
}

function readGraph(dir: string, name: string): CoreMLModel {
  const path = join(dir, name);
  return name.endsWith('.mlpackage')
    ? readMlpackage(path, { weights: false })
    : readMlmodelc(path, { weights: false });
}

function dimOf(
  list: readonly FeatureDescription[],
  name: string,
  axis: number,
  path: string,
  where: 'input' | 'output',
): number {
  const f = list.find((v) => v.name === name);
  const shape = f?.type.kind === 'multiArray' ? f.type.shape : undefined;
  const d = shape?.at(axis);
  if (typeof d !== 'number' || d < 1)
    throw new ModelDirError(
      'E_MISSING_FIELD',
      `${path}: ${f === undefined ? `no ${where} \`${name}\`` : `${where} \`${name}\` has no fixed dim ${axis}`} (the Parakeet EOU contract, docs/design.md "Model contract"; it has ${list.map((v) => v.name).join(', ')})`,
      { file: path, field: name },
    );
  return d;
}

/** V: the width of the tensor the joint's softmax (or top-k) reads, in its ML Program. */
function vocabWidth(model: CoreMLModel, path: string): number | undefined {
  const main = mainFunction(model.program, path);
  for (const op of main.operations) {
    if (op.type !== 'softmax' && op.type !== 'topk') continue;
    const source = op.inputs.find((a) => a.param === 'x')?.bindings[0];
    const name = source?.kind === 'name' ? source.name : undefined;
    const producer = main.operations.flatMap((o) => o.outputs).find((o) => o.name === name);
    const t = producer?.type;
    const last = t?.kind === 'tensor' ? t.shape?.at(-1) : undefined;
    if (typeof last === 'number' && last > 1) return last;
  }
  return undefined;
}

/**
 * Derives the model.json of a FluidAudio Parakeet EOU folder.
 * @param names the directory's file names
 * @throws ModelDirError `E_MISSING_FILE` (no vocab.json, no joint), `E_MISSING_FIELD` (a tensor of
 *   the contract, the `<EOU>` piece)
 */
export function deriveFluidAudio(dir: string, names: readonly string[]): DerivedModelJson {
  const decExt = coremlGraph(names, fluidAudioGraphs.decoder);
  const jntExt = coremlGraph(names, fluidAudioGraphs.joint);
  const missing = (what: string, fix: string): never => {
    throw new ModelDirError(
      'E_MISSING_FILE',
      `${dir}: a FluidAudio Parakeet folder needs ${what}, not found; ${fix}`,
      {
        file: dir,
      },
    );
  };
  if (decExt === undefined)
    missing('decoder.mlmodelc or decoder.mlpackage', 'copy the prediction net from the same release');
  if (jntExt === undefined)
    missing('joint_decision.mlmodelc or joint_decision.mlpackage', 'copy the joint from the same release');
  if (!names.includes('vocab.json'))
    missing(
      'vocab.json (token id -> piece)',
      'copy it from the release next to the graphs (FluidAudio ships it beside the .mlmodelc folders)',
    );
  if (decExt !== jntExt)
    throw new ModelDirError(
      'E_MISSING_FIELD',
      `${dir}: decoder.${decExt} and joint_decision.${jntExt} differ in format; model.json \`ext\` names one (compile or convert one of them)`,
      { file: dir, field: 'ext' },
    );
  const decName = `${fluidAudioGraphs.decoder}.${decExt}`;
  const jntName = `${fluidAudioGraphs.joint}.${jntExt}`;
  const decPath = join(dir, decName);
  const jntPath = join(dir, jntName);
  const dec = readGraph(dir, decName);
  const jnt = readGraph(dir, jntName);
  const hiddenSize = dimOf(dec.description.inputs, 'h_in', -1, decPath, 'input');
  const encoderDim = dimOf(jnt.description.inputs, 'encoder_step', 1, jntPath, 'input');
  const topK = dimOf(jnt.description.outputs, 'top_k_ids', -1, jntPath, 'output');
  const vocabPath = join(dir, 'vocab.json');
  const vocab = parseVocab(readFileSync(vocabPath, 'utf8'), vocabPath);
  const idOf = (piece: string): number | undefined => [...vocab].find(([, p]) => p === piece)?.[0];
  const eouId = idOf('<EOU>');
  if (eouId === undefined)
    throw new ModelDirError(
      'E_MISSING_FIELD',
      `${vocabPath}: no \`<EOU>\` piece; a Parakeet EOU vocabulary names its end-of-utterance token (write model.json by hand with eouId)`,
      { file: vocabPath, field: '<EOU>' },
    );
  const eobId = idOf('<EOB>');
  const maxId = Math.max(...vocab.keys());
  const fromGraph = vocabWidth(jnt, jntPath);
  // Blank is NeMo's last id, the one vocab.json does not name.
  const vocabSize = fromGraph ?? maxId + 2;
  if (vocabSize !== maxId + 2)
    throw new ModelDirError(
      'E_MISSING_FIELD',
      `${vocabPath}: ids go up to ${maxId}, the joint ${jntName} scores ${vocabSize} tokens; expected blank = ${maxId + 1} = V-1 (is vocab.json this model's?)`,
      { file: vocabPath },
    );
  const derivedFrom = [decName, jntName, 'vocab.json'];
  const encExt = coremlGraph(names, fluidAudioGraphs.encoder);
  const modelJson: Record<string, unknown> = {
    format: modelConfigFormat,
    layout: 'eou',
    producer: `@eou/model-dir from ${derivedFrom.join(', ')} (FluidAudio Parakeet EOU)`,
    blankId: vocabSize - 1,
    eouId,
    ...(eobId === undefined ? {} : { eobId }),
    vocabSize,
    hiddenSize,
    encoderDim,
    jointDim: hiddenSize,
    topK,
    maxSymbolsPerFrame: 2,
    // FastConformer's 8x subsampling of 10 ms features.
    frameMs: 80,
    ext: decExt,
  };
  if (encExt !== undefined && existsSync(join(dir, `${fluidAudioGraphs.encoder}.${encExt}`)))
    derivedFrom.push(`${fluidAudioGraphs.encoder}.${encExt} (listed, not read)`);
  return { modelJson, derivedFrom };
}

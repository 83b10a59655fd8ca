/**
 * What `eou inspect DIR` says about a model directory of any layout: how it was read, the features,
 * the streaming encoder and its state pairs, the prediction net, end of utterance, the vocabulary,
 * every variant with whether its files are there, and the files.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readMlmodelc, readMlpackage, type FeatureDescription } from '@eou/coreml-format';
import { readOnnxSignature } from '@eou/graph';
import { modelVariants, parseVocabFile, variantFiles, type VariantSpec } from '@eou/rnnt-decode';
import {
  readModelDirectory,
  type DirectoryLayout,
  type ReadModelDirectoryOptions,
} from './readModelDirectory';

/** One encoder state: its input, the output that carries its next value, its shape. */
export interface StateSummary {
  readonly input: string;
  readonly output: string;
  readonly shape: readonly (number | string)[];
}

/** One variant and whether it can run here. */
export interface VariantSummary {
  readonly name: string;
  readonly kind: string;
  readonly description: string;
  readonly files: readonly string[];
  /** `present`: every file is here; `buildable`: `eou fuse` makes the missing ones; `missing`. */
  readonly status: 'present' | 'buildable' | 'missing';
  readonly missing: readonly string[];
}

/** The description `eou inspect DIR` prints. */
export interface ModelDirectorySummary {
  readonly dir: string;
  readonly layout: DirectoryLayout;
  readonly derivedFrom: readonly string[];
  readonly features: Readonly<Record<string, unknown>> | null;
  readonly encoder: {
    readonly file: string;
    readonly input: string;
    readonly output: string;
    readonly states: readonly StateSummary[];
    readonly schedule: Readonly<Record<string, unknown>> | null;
  } | null;
  readonly decoder: {
    readonly predictionNet: string;
    readonly contextSize?: number;
    readonly startContext?: readonly number[];
    readonly hiddenSize: number;
    readonly encoderDim: number;
    readonly vocabSize: number;
    readonly blankId: number;
    readonly eouId: number | null;
    readonly eobId: number | null;
    /** An id decoded as blank (sherpa-onnx's `<unk>`), or null. */
    readonly unkId: number | null;
    readonly maxSymbolsPerFrame: number;
    readonly frameMs: number;
  };
  readonly endOfUtterance: string;
  readonly vocab: { readonly file: string; readonly pieces: number };
  readonly variants: readonly VariantSummary[];
  readonly files: readonly { readonly name: string; readonly bytes: number }[];
}

function sizeOf(path: string): number {
  const s = statSync(path);
  if (!s.isDirectory()) return s.size;
  return readdirSync(path).reduce((sum, n) => sum + sizeOf(join(path, n)), 0);
}

/** State pairs of an encoder graph, read from its signature (ONNX) or declared types (CoreML). */
function encoderStates(
  path: string,
  input: string,
  output: string,
  prefix: string | undefined,
  lengthInput: string | undefined,
): StateSummary[] {
  if (!existsSync(path)) return [];
  let inputs: readonly { name: string; shape: readonly (number | string)[] }[];
  if (path.endsWith('.onnx')) inputs = readOnnxSignature(new Uint8Array(readFileSync(path)), path).inputs;
  else {
    const m = path.endsWith('.mlpackage')
      ? readMlpackage(path, { weights: false })
      : readMlmodelc(path, { weights: false });
    inputs = m.description.inputs.map((f: FeatureDescription) => ({
      name: f.name,
      shape: f.type.kind === 'multiArray' ? f.type.shape : [],
    }));
  }
  return inputs
    .filter((i) => i.name !== input && i.name !== lengthInput && i.name !== output)
    .map((i) => ({ input: i.name, output: `${prefix ?? ''}${i.name}`, shape: i.shape }));
}

function variantSummary(
  dir: string,
  spec: VariantSpec<string>,
  ext: 'onnx' | 'mlmodelc' | 'mlpackage',
): VariantSummary {
  const files = Object.values(variantFiles(spec, spec.formats.includes(ext) ? ext : spec.formats[0]!));
  const missing = files.filter((f) => !existsSync(join(dir, f)));
  const status = missing.length === 0 ? 'present' : spec.buildable ? 'buildable' : 'missing';
  return { name: spec.name, kind: spec.kind, description: spec.description, files, status, missing };
}

/**
 * Describes the model directory `dir`.
 * @throws what {@link readModelDirectory} throws
 */
export function inspectModelDirectory(
  dir: string,
  options: ReadModelDirectoryOptions = {},
): ModelDirectorySummary {
  const md = readModelDirectory(dir, options);
  const json = md.modelJson as {
    encoder?: { features?: Record<string, unknown>; streaming?: Record<string, unknown> };
    endOfUtterance?: { rules?: Record<string, Record<string, unknown>> };
  };
  const c = md.config;
  const streaming = json.encoder?.streaming;
  const states = streaming?.['states'] as { prefix?: string } | undefined;
  const encoder =
    streaming === undefined || typeof streaming['file'] !== 'string'
      ? null
      : {
          file: streaming['file'],
          input: String(streaming['input']),
          output: String(streaming['output']),
          states: encoderStates(
            join(dir, streaming['file']),
            String(streaming['input']),
            String(streaming['output']),
            states?.prefix,
            streaming['lengthInput'] as string | undefined,
          ),
          schedule: (streaming['schedule'] as Record<string, unknown> | undefined) ?? null,
        };
  const net = c.predictionNet;
  const rules = json.endOfUtterance?.rules;
  const endOfUtterance =
    c.eouId !== undefined && rules === undefined
      ? `EOU token ${c.eouId} (debounced)`
      : `endpoint rules over trailing blanks: ${
          Object.entries(rules ?? {})
            .map(
              ([n, r]) =>
                `${n} ${r['mustContainNonSilence'] === true ? 'after speech, ' : ''}silence >= ${String(r['minTrailingSilenceMs'])} ms, length >= ${String(r['minUtteranceLengthMs'])} ms`,
            )
            .join('; ') || "sherpa-onnx's defaults"
        }`;
  const vocabPath = join(dir, c.vocab);
  const pieces = existsSync(vocabPath) ? parseVocabFile(readFileSync(vocabPath, 'utf8'), vocabPath).size : 0;
  const registry = modelVariants(c, md.description.file);
  return {
    dir,
    layout: md.layout,
    derivedFrom: md.derivedFrom,
    features: json.encoder?.features ?? null,
    encoder,
    decoder: {
      predictionNet: net.kind,
      ...(net.kind === 'stateless' ? { contextSize: net.contextSize, startContext: net.startContext } : {}),
      hiddenSize: c.hiddenSize,
      encoderDim: c.encoderDim,
      vocabSize: c.vocabSize,
      blankId: c.blankId,
      eouId: c.eouId ?? null,
      eobId: c.eobId ?? null,
      unkId: c.unkId ?? null,
      maxSymbolsPerFrame: c.maxSymbolsPerFrame,
      frameMs: c.frameMs,
    },
    endOfUtterance,
    vocab: { file: c.vocab, pieces },
    variants: registry.names.map((n) => variantSummary(dir, registry.spec(n), c.ext)),
    files: readdirSync(dir)
      .sort()
      .map((name) => ({ name, bytes: sizeOf(join(dir, name)) })),
  };
}

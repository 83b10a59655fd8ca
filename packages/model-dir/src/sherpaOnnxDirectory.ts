/**
 * The model.json of a sherpa-onnx / icefall streaming transducer directory (`encoder*.onnx`,
 * `decoder*.onnx`, `joiner*.onnx`, `tokens.txt`), derived from the graphs' signatures and ONNX
 * metadata the way sherpa-onnx reads them: the encoder's `T` and `decode_chunk_len` (window and
 * shift in fbank frames), the decoder's `context_size` and `vocab_size`, the tensor widths, and
 * sherpa-onnx's own settings (blank 0, one symbol per frame, 0.8 s tail padding, greedy search
 * from the context [-1, ..., -1, blank], Kaldi endpoint rules).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { kaldiEndpointRules, kaldiFbankDefaults } from '@eou/frontend';
import { readOnnxSignature, type OnnxSignature, type ValueInfo } from '@eou/graph';
import { modelConfigFormat, parseTokensTxt, sherpaOnnxVariants } from '@eou/rnnt-decode';
import { ModelDirError } from './modelDirError';

/** Options of the derivation. */
export interface SherpaOnnxOptions {
  /** The encoder file when the directory holds several (`encoder-epoch-99-avg-1-chunk-16.onnx`). */
  readonly encoder?: string;
}

/** A derived description and what it came from. */
export interface DerivedModelJson {
  readonly modelJson: Record<string, unknown>;
  /** The files read, in the order read. */
  readonly derivedFrom: readonly string[];
}

/** sherpa-onnx's online recognizer pads this much silence after the audio (`tail_paddings`). */
export const sherpaOnnxTailPaddingMs = 800;

const isInt8 = (name: string): boolean => /\.int8[.-]/.test(name);

/** The sherpa-onnx files of a directory listing, by role. */
export function sherpaOnnxFiles(names: readonly string[]): {
  encoders: string[];
  decoders: string[];
  joiners: string[];
  tokens: boolean;
} {
  const of = (role: string) => names.filter((n) => n.startsWith(role) && n.endsWith('.onnx')).sort();
  return {
    encoders: of('encoder'),
    decoders: of('decoder'),
    joiners: of('joiner'),
    tokens: names.includes('tokens.txt'),
  };
}

function pickEncoder(dir: string, encoders: readonly string[], given: string | undefined): string {
  if (given !== undefined) {
    if (!encoders.includes(given))
      throw new ModelDirError(
        'E_MISSING_FILE',
        `${dir}: encoder ${given} not found (encoders here: ${encoders.join(', ') || 'none'})`,
        { file: join(dir, given) },
      );
    return given;
  }
  for (const preferred of ['encoder.onnx', 'encoder.int8.onnx'])
    if (encoders.includes(preferred)) return preferred;
  if (encoders.length === 1) return encoders[0]!;
  throw new ModelDirError(
    'E_AMBIGUOUS',
    `${dir}: ${encoders.length} encoders (${encoders.join(', ')}); name one (\`eou model-json ${dir} --encoder FILE\`, or encoder.streaming.file in a model.json)`,
    { file: dir },
  );
}

function signature(dir: string, name: string): OnnxSignature {
  const path = join(dir, name);
  return readOnnxSignature(new Uint8Array(readFileSync(path)), path);
}

function tensor(list: readonly ValueInfo[], name: string, path: string, where: string): ValueInfo {
  const found = list.find((v) => v.name === name);
  if (found === undefined)
    throw new ModelDirError(
      'E_MISSING_FIELD',
      `${path}: no ${where} \`${name}\` (a sherpa-onnx transducer graph has ${list.map((v) => v.name).join(', ')})`,
      { file: path, field: name },
    );
  return found;
}

function staticDim(v: ValueInfo, axis: number, path: string): number {
  const d = v.shape.at(axis);
  if (typeof d !== 'number' || d < 1)
    throw new ModelDirError(
      'E_MISSING_FIELD',
      `${path}: \`${v.name}\` dim ${axis} must be a fixed size, got ${JSON.stringify(d)} (shape [${v.shape.join(', ')}]); write a model.json by hand`,
      { file: path, field: v.name },
    );
  return d;
}

function metaInt(sig: OnnxSignature, key: string, path: string, what: string): number {
  const raw = sig.metadata[key];
  const v = raw === undefined ? NaN : Number(raw);
  if (!Number.isInteger(v) || v < 1)
    throw new ModelDirError(
      'E_MISSING_FIELD',
      `${path}: ONNX metadata ${raw === undefined ? 'has no' : 'has a bad'} \`${key}\`${raw === undefined ? '' : ` (${JSON.stringify(raw)})`} (${what}, which sherpa-onnx reads too); re-export with it, or write the model.json by hand (docs/onnx-layout.md)`,
      { file: path, field: key },
    );
  return v;
}

/**
 * Which files serve each built-in variant: the standard names (`decoder.int8.onnx`) need no
 * declaration; zoo names (`decoder-epoch-99-avg-1.int8.onnx`) are declared under the built-in names
 * when one file of each precision is there.
 */
function variantDeclarations(decoders: readonly string[], joiners: readonly string[]): object[] {
  const unique = (list: readonly string[], int8: boolean): string | undefined => {
    const of = list.filter((n) => isInt8(n) === int8);
    return of.length === 1 ? of[0] : undefined;
  };
  const out: object[] = [];
  for (const spec of Object.values(sherpaOnnxVariants)) {
    const want = { decoder: `${spec.stems.decoder}.onnx`, joint: `${spec.stems.joint}.onnx` };
    if (decoders.includes(want.decoder) && joiners.includes(want.joint)) continue;
    const decoder = unique(decoders, isInt8(want.decoder));
    const joint = unique(joiners, isInt8(want.joint));
    if (decoder === undefined || joint === undefined) continue;
    out.push({
      name: spec.name,
      kind: 'stateless',
      files: { decoder, joint },
      description: spec.description,
    });
  }
  return out;
}

/**
 * Derives the model.json of a sherpa-onnx directory.
 * @param names the directory's file names
 * @throws ModelDirError `E_MISSING_FILE` (no tokens.txt, no decoder or joiner), `E_MISSING_FIELD`
 *   (a metadata key or tensor sherpa-onnx needs), `E_AMBIGUOUS` (several encoders)
 */
export function deriveSherpaOnnx(
  dir: string,
  names: readonly string[],
  options: SherpaOnnxOptions = {},
): DerivedModelJson {
  const files = sherpaOnnxFiles(names);
  const need = (ok: boolean, what: string): void => {
    if (!ok)
      throw new ModelDirError(
        'E_MISSING_FILE',
        `${dir}: a sherpa-onnx transducer directory needs ${what}, not found (it has ${names.filter((n) => /\.(onnx|txt)$/.test(n)).join(', ') || 'no .onnx or .txt files'})`,
        { file: dir },
      );
  };
  need(files.encoders.length > 0, 'encoder*.onnx (the streaming encoder)');
  need(files.decoders.length > 0, 'decoder*.onnx (the prediction net)');
  need(files.joiners.length > 0, 'joiner*.onnx (the joint network)');
  need(files.tokens, 'tokens.txt (`piece id` per line)');
  const encoderFile = pickEncoder(dir, files.encoders, options.encoder);
  const fp32First = (list: readonly string[]) =>
    [...list].sort((a, b) => Number(isInt8(a)) - Number(isInt8(b)))[0]!;
  const decoderFile = fp32First(files.decoders);
  const joinerFile = fp32First(files.joiners);
  const encPath = join(dir, encoderFile);
  const decPath = join(dir, decoderFile);
  const jntPath = join(dir, joinerFile);
  const enc = signature(dir, encoderFile);
  const dec = signature(dir, decoderFile);
  const jnt = signature(dir, joinerFile);

  const windowFrames = metaInt(enc, 'T', encPath, 'fbank frames per encoder call');
  const shiftFrames = metaInt(enc, 'decode_chunk_len', encPath, 'fbank frames the window advances');
  const x = tensor(enc.inputs, 'x', encPath, 'input');
  const encoderOut = tensor(enc.outputs, 'encoder_out', encPath, 'output');
  const numMelBins = staticDim(x, -1, encPath);
  const framesPerCall = staticDim(encoderOut, 1, encPath);
  const encoderDim = staticDim(encoderOut, -1, encPath);
  const outputs = new Set(enc.outputs.map((o) => o.name));
  const states = enc.inputs.filter((i) => i.name !== 'x');
  for (const s of states) {
    if (!outputs.has(`new_${s.name}`))
      throw new ModelDirError(
        'E_MISSING_FIELD',
        `${encPath}: state input \`${s.name}\` has no output \`new_${s.name}\` (sherpa-onnx pairs states by the new_ prefix); write encoder.streaming.states in a model.json by hand`,
        { file: encPath, field: s.name },
      );
  }

  const contextSize = metaInt(dec, 'context_size', decPath, 'tokens of context of the prediction net');
  const y = tensor(dec.inputs, 'y', decPath, 'input');
  if (y.shape.length !== 2 || (typeof y.shape[1] === 'number' && y.shape[1] !== contextSize))
    throw new ModelDirError(
      'E_MISSING_FIELD',
      `${decPath}: \`y\` must be [N, context_size ${contextSize}], got [${y.shape.join(', ')}]`,
      { file: decPath, field: 'y' },
    );
  const decoderDim = staticDim(tensor(dec.outputs, 'decoder_out', decPath, 'output'), -1, decPath);
  const vocabSize = staticDim(tensor(jnt.outputs, 'logit', jntPath, 'output'), -1, jntPath);
  const jointEnc = staticDim(tensor(jnt.inputs, 'encoder_out', jntPath, 'input'), -1, jntPath);
  const jointDec = staticDim(tensor(jnt.inputs, 'decoder_out', jntPath, 'input'), -1, jntPath);
  const mismatch = (what: string, a: number, b: number, file: string): void => {
    if (a !== b)
      throw new ModelDirError(
        'E_MISSING_FIELD',
        `${file}: ${what}: ${a} vs ${b}; the graphs are not one model`,
        {
          file,
        },
      );
  };
  mismatch(`joiner encoder_out width vs ${encoderFile} encoder_out width`, jointEnc, encoderDim, jntPath);
  mismatch(`joiner decoder_out width vs ${decoderFile} decoder_out width`, jointDec, decoderDim, jntPath);
  const declaredVocab = dec.metadata['vocab_size'];
  if (declaredVocab !== undefined)
    mismatch('metadata vocab_size vs joiner logit width', Number(declaredVocab), vocabSize, decPath);

  const tokensPath = join(dir, 'tokens.txt');
  const tokens = parseTokensTxt(readFileSync(tokensPath, 'utf8'), tokensPath);
  if (tokens.size !== vocabSize)
    throw new ModelDirError(
      'E_MISSING_FIELD',
      `${tokensPath}: ${tokens.size} tokens, the joiner ${joinerFile} scores ${vocabSize}; tokens.txt is not this model's`,
      { file: tokensPath },
    );
  const blank = [...tokens].find(([, piece]) => piece === '<blk>' || piece === '<blank>')?.[0] ?? 0;
  // sherpa-onnx's greedy search decodes `<unk>` as blank (never emitted, the context kept).
  const unk = [...tokens].find(([id, piece]) => piece === '<unk>' && id !== blank)?.[0];
  const frameMs = (shiftFrames * kaldiFbankDefaults.frameShiftMs) / framesPerCall;
  const modelType = enc.metadata['model_type'] ?? 'transducer';
  const declared = variantDeclarations(files.decoders, files.joiners);
  const modelJson: Record<string, unknown> = {
    format: modelConfigFormat,
    layout: 'sherpa-onnx',
    producer: `@eou/model-dir from ${[encoderFile, decoderFile, joinerFile, 'tokens.txt'].join(', ')} (ONNX metadata${enc.metadata['comment'] ? `: ${enc.metadata['comment']}` : ''})`,
    blankId: blank,
    eouId: null,
    unkId: unk ?? null,
    vocabSize,
    hiddenSize: decoderDim,
    encoderDim,
    jointDim: decoderDim,
    maxSymbolsPerFrame: 1,
    frameMs,
    ext: 'onnx',
    vocab: 'tokens.txt',
    // sherpa-onnx's online greedy search starts from context_size - 1 times -1, then blank
    // (GetEmptyResult; its 2023 first version used blanks, which decode measurably worse against it).
    predictionNet: {
      kind: 'stateless',
      contextSize,
      startContext: [...new Array<number>(contextSize - 1).fill(-1), blank],
    },
    endOfUtterance: { kind: 'endpoint-rules', rules: kaldiEndpointRules },
    ...(declared.length === 0 ? {} : { variants: declared }),
    encoder: {
      features: { ...kaldiFbankDefaults, numMelBins },
      streaming: {
        file: encoderFile,
        input: 'x',
        inputLayout: 'frames-first',
        output: 'encoder_out',
        outputLayout: 'frames-first',
        states: { prefix: 'new_' },
        schedule: {
          name: `${modelType}-${shiftFrames * kaldiFbankDefaults.frameShiftMs}ms`,
          unit: 'frames',
          windowFrames,
          shiftFrames,
          tail: 'drop',
          tailPaddingMs: sherpaOnnxTailPaddingMs,
          frameMs,
        },
      },
    },
  };
  return { modelJson, derivedFrom: [encoderFile, decoderFile, joinerFile, 'tokens.txt'] };
}

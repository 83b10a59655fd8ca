/**
 * `eou inspect PATH`: for a model directory of any layout (model.json, sherpa-onnx, FluidAudio),
 * how it was read, features, encoder states, prediction net, end of utterance, vocabulary,
 * variants and files; for one `.onnx`, `.mlmodelc` or `.mlpackage`, its format, inputs/outputs with
 * dtypes and shapes, op histogram and weight bytes.
 */
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { inspectModel } from '@eou/coreml-format';
import type { ModelSummary } from '@eou/coreml-format';
import { inspectModelDirectory, type ModelDirectorySummary } from '@eou/model-dir';
import { defineCommand } from '../command';

function renderDirectory(s: ModelDirectorySummary): string {
  const d = s.decoder;
  const kv = (o: Readonly<Record<string, unknown>>) =>
    Object.entries(o)
      .filter(([k]) => k !== 'kind' && k !== 'name')
      .map(([k, v]) => `${k} ${String(v)}`)
      .join(', ');
  const lines = [
    `model dir  ${s.dir}`,
    `layout     ${s.layout}${s.layout === 'model.json' ? '' : ` (no model.json: derived from ${s.derivedFrom.join(', ')}; \`eou model-json\` writes it)`}`,
    `features   ${s.features === null ? 'not described (frames in, no audio path)' : `${String(s.features['kind'])}: ${kv(s.features)}`}`,
  ];
  if (s.encoder === null) lines.push('encoder    no streaming encoder described');
  else {
    const sch = s.encoder.schedule;
    lines.push(
      `encoder    ${s.encoder.file}: ${s.encoder.input} -> ${s.encoder.output}, ${s.encoder.states.length} states${sch === null ? '' : `; schedule ${String(sch['name'])}: ${kv(sch)}`}`,
      ...s.encoder.states.map((st) => `             ${st.input} -> ${st.output} [${st.shape.join(', ')}]`),
    );
  }
  lines.push(
    `decoder    ${d.predictionNet}${d.contextSize === undefined ? '' : ` (context ${d.contextSize}, start [${d.startContext!.join(', ')}])`}, H ${d.hiddenSize}, E ${d.encoderDim}, V ${d.vocabSize}, blank ${d.blankId}, EOU ${d.eouId ?? 'none'}${d.eobId === null ? '' : `, EOB ${d.eobId}`}${d.unkId === null ? '' : `, unk ${d.unkId} (decoded as blank)`}, at most ${d.maxSymbolsPerFrame} per frame, ${d.frameMs} ms frames`,
    `end        ${s.endOfUtterance}`,
    `vocab      ${s.vocab.file}: ${s.vocab.pieces} pieces`,
    ...s.variants.map(
      (v, i) =>
        `${i === 0 ? 'variants' : '        '}   ${v.name.padEnd(12)} ${v.status.padEnd(9)} ${v.files.join(' + ')}${v.status === 'missing' ? ` (missing ${v.missing.join(', ')})` : ''}`,
    ),
    ...s.files.map(
      (f, i) => `${i === 0 ? 'files' : '     '}      ${f.name} ${f.bytes.toLocaleString('en-US')} B`,
    ),
  );
  return lines.join('\n') + '\n';
}

/** A directory that is a model directory, not a CoreML model (which is a directory too). */
function isModelDirectory(path: string): boolean {
  return (
    existsSync(path) &&
    statSync(path).isDirectory() &&
    !existsSync(join(path, 'model.mil')) &&
    !existsSync(join(path, 'Manifest.json'))
  );
}

function render(s: ModelSummary): string {
  const feat = (f: ModelSummary['inputs'][number]) => `${f.name} ${f.dtype} [${f.shape.join(', ')}]`;
  const lines = [
    `model    ${s.path}`,
    `format   ${s.format} (${s.format === 'onnx' ? 'IR' : 'spec'} ${s.version}, ${s.opset})`,
    ...s.inputs.map((f, i) => `${i === 0 ? 'inputs ' : '       '}  ${feat(f)}`),
    ...s.outputs.map((f, i) => `${i === 0 ? 'outputs' : '       '}  ${feat(f)}`),
    `ops      ${s.opCount}: ${Object.entries(s.ops)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
    `weights  ${s.weightCount} tensors: ${Object.entries(s.weightBytes)
      .map(([k, v]) => `${k} ${v.toLocaleString('en-US')} B`)
      .join(', ')}${s.weightsMissing ? ' (weight file absent: sizes from the declared types)' : ''}`,
  ];
  for (const [k, v] of Object.entries(s.metadata)) lines.push(`meta     ${k} = ${v}`);
  return lines.join('\n') + '\n';
}

export default defineCommand({
  name: 'inspect',
  description:
    'Describe a model directory (any layout), or show the format, inputs/outputs, op histogram and weight bytes of an .onnx, .mlmodelc or .mlpackage.',
  positionals: [
    {
      name: 'PATH',
      description:
        'A model directory (model.json, sherpa-onnx, FluidAudio), an .onnx file, or an .mlmodelc / .mlpackage directory.',
      required: true,
    },
  ],
  options: {
    json: { type: 'boolean', description: 'Print one JSON document on stdout.' },
    encoder: {
      type: 'string',
      valueName: 'FILE',
      description: 'The encoder of a sherpa-onnx directory that holds several.',
    },
  },
  examples: [
    'eou inspect ../shared/fixtures/zipformer-kws-gigaspeech-3.3M',
    'eou inspect decoder.mlmodelc',
    'eou inspect model/decoder.onnx --json',
  ],
  async run(ctx) {
    const path = resolve(ctx.cwd, ctx.positionals[0]!);
    if (isModelDirectory(path)) {
      // A ModelDirError names the file or field missing; `eou` prints it, exit 2.
      const s = inspectModelDirectory(
        path,
        ctx.options.encoder === undefined ? {} : { encoder: ctx.options.encoder },
      );
      ctx.stdout.write(ctx.options.json ? JSON.stringify(s) + '\n' : renderDirectory(s));
      return 0;
    }
    // A CoreMLFormatError names the file; `eou` prints it as `eou inspect: ...`, exit 2.
    const summary = inspectModel(path);
    ctx.stdout.write(ctx.options.json ? JSON.stringify(summary) + '\n' : render(summary));
    return 0;
  },
});

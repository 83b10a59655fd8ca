/**
 * `eou inspect MODEL`: format, inputs/outputs with dtypes and shapes, op histogram and weight
 * bytes by dtype of an `.onnx`, `.mlmodelc` or `.mlpackage`.
 */
import { inspectModel } from '@eou/coreml-format';
import type { ModelSummary } from '@eou/coreml-format';
import { resolve } from 'node:path';
import { defineCommand } from '../command';

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
    'Show the format, inputs/outputs, op histogram and weight bytes of an .onnx, .mlmodelc or .mlpackage.',
  positionals: [
    { name: 'MODEL', description: 'An .onnx file, or an .mlmodelc / .mlpackage directory.', required: true },
  ],
  options: { json: { type: 'boolean', description: 'Print one JSON document on stdout.' } },
  examples: ['eou inspect decoder.mlmodelc', 'eou inspect model/decoder.onnx --json'],
  async run(ctx) {
    // A CoreMLFormatError names the file; `eou` prints it as `eou inspect: ...`, exit 2.
    const summary = inspectModel(resolve(ctx.cwd, ctx.positionals[0]!));
    ctx.stdout.write(ctx.options.json ? JSON.stringify(summary) + '\n' : render(summary));
    return 0;
  },
});

/**
 * `eou synth-model`: writes a deterministic synthetic model directory with the exact contract of
 * the shipped Parakeet EOU bundle (docs/onnx-layout.md), for tests, benchmarks and the gate.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { resolveMargin, synthShapes, writeSynthModelDirectory } from '@eou/fusion';
import type { SynthMargin, SynthShapeName } from '@eou/fusion';
import { defineCommand } from '../command';
import { writeFailureAsBadInput } from '../errors';

/** `--margin`: high, low or a positive number of logits. */
function parseMargin(text: string): SynthMargin {
  if (text === 'high' || text === 'low') return text;
  return resolveMargin(text.trim() === '' ? NaN : Number(text));
}

const shapes = Object.keys(synthShapes) as SynthShapeName[];

export default defineCommand({
  name: 'synth-model',
  description:
    'Write a deterministic synthetic model directory (decoder.onnx, joint_decision.onnx, vocab.json, model.json).',
  options: {
    out: {
      type: 'string',
      required: true,
      valueName: 'DIR',
      description: 'Directory to write (created if missing).',
    },
    seed: {
      type: 'integer',
      min: 0,
      max: 0xffffffff,
      default: 1,
      valueName: 'N',
      description: 'Seed of the weights; the same seed gives byte-identical files.',
    },
    shape: {
      type: 'enum',
      choices: shapes,
      default: 'parakeet-eou',
      valueName: 'SHAPE',
      description: `Sizes: ${shapes.join(' (H=640, E=512, V=1027) | ')} (small, for tests).`,
    },
    batch: { type: 'boolean', description: 'Give the graphs a symbolic batch dim B instead of 1.' },
    margin: {
      type: 'custom',
      parse: parseMargin,
      expected: 'high, low or a positive number',
      valueName: 'M',
      description:
        'Decision margin of ordinary frames in its corpora: high (4 logits, default), low (0.03) or a number.',
    },
    json: { type: 'boolean', description: 'Print one JSON document on stdout.' },
  },
  examples: ['eou synth-model --out model/', 'eou synth-model --out tiny/ --shape tiny --seed 7 --json'],
  async run(ctx) {
    const { out, shape, seed } = ctx.options;
    const margin = ctx.options.margin ?? 'high';
    const dir = resolve(ctx.cwd, out);
    let model;
    try {
      model = writeSynthModelDirectory(
        dir,
        { shape, seed, margin, batch: ctx.options.batch },
        {
          // Variant files built from the replaced pair would still load with its weights.
          onRemoved: (paths) =>
            ctx.stderr.write(
              `eou synth-model: removed ${paths.map((p) => basename(p)).join(', ')} (built from the replaced decoder/joint_decision; rebuild with \`eou fuse\`)\n`,
            ),
        },
      );
    } catch (error) {
      writeFailureAsBadInput('synth-model', dir, error);
    }
    const files = ['decoder.onnx', 'joint_decision.onnx', 'vocab.json', 'model.json'].map((name) => {
      const bytes = readFileSync(join(dir, name));
      return { name, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
    });
    const m = model.modelJson;
    if (ctx.options.json) {
      ctx.stdout.write(JSON.stringify({ dir, shape, seed, margin, batch: m['batch'], files }) + '\n');
    } else {
      for (const f of files)
        ctx.stdout.write(`wrote ${join(dir, f.name)} (${f.bytes} bytes, sha256 ${f.sha256})\n`);
    }
    ctx.stderr.write(
      `eou synth-model: ${shape} seed ${seed}: V=${String(m['vocabSize'])} H=${String(m['hiddenSize'])} E=${String(m['encoderDim'])} J=${String(m['jointDim'])}, fp16 weights\n`,
    );
    return 0;
  },
});

/**
 * `eou synth-model`: writes a deterministic synthetic model directory with the exact contract of
 * the shipped Parakeet EOU bundle (docs/onnx-layout.md), for tests, benchmarks and the gate.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { resolveMargin, synthShapes, writeSynthModelDirectory } from '@eou/fusion';
import type { SynthMargin, SynthShapeName } from '@eou/fusion';
import { CLIError } from '../cliError';
import { defineCommand } from '../command';

/** Parses `--seed`-like integers; CLIError naming the flag otherwise. */
export function parseIntegerFlag(
  value: string | boolean | string[] | undefined,
  flag: string,
  fallback: number,
  min = 0,
): number {
  if (value === undefined) return fallback;
  if (
    typeof value !== 'string' ||
    !/^\d+$/.test(value) ||
    Number(value) < min ||
    !Number.isSafeInteger(Number(value))
  ) {
    throw new CLIError(`${flag} must be an integer >= ${min}, got ${JSON.stringify(value)}`);
  }
  return Number(value);
}

function parseMargin(value: string | boolean | string[] | undefined): SynthMargin {
  if (value === undefined) return 'high';
  if (value === 'high' || value === 'low') return value;
  const n = typeof value === 'string' ? Number(value) : NaN;
  try {
    return resolveMargin(n);
  } catch {
    throw new CLIError(`--margin must be high, low or a positive number, got ${JSON.stringify(value)}`);
  }
}

export default defineCommand({
  name: 'synth-model',
  description:
    'Write a deterministic synthetic model directory (decoder.onnx, joint_decision.onnx, vocab.json, model.json).',
  options: {
    out: { type: 'string', valueName: 'DIR', description: 'Directory to write (created if missing).' },
    seed: {
      type: 'string',
      valueName: 'N',
      description: 'Seed of the weights (default 1); the same seed gives byte-identical files.',
    },
    shape: {
      type: 'string',
      valueName: 'SHAPE',
      description: `Sizes: ${Object.keys(synthShapes).join(' (H=640, E=512, V=1027) | ')} (small, for tests). Default parakeet-eou.`,
    },
    batch: { type: 'boolean', description: 'Give the graphs a symbolic batch dim B instead of 1.' },
    margin: {
      type: 'string',
      valueName: 'M',
      description:
        'Decision margin of ordinary frames in its corpora: high (4 logits, default), low (0.03) or a number.',
    },
    json: { type: 'boolean', description: 'Print one JSON document on stdout.' },
  },
  examples: ['eou synth-model --out model/', 'eou synth-model --out tiny/ --shape tiny --seed 7 --json'],
  async run(ctx) {
    const out = ctx.options.out;
    if (typeof out !== 'string')
      throw new CLIError('eou synth-model: missing --out DIR (see `eou synth-model --help`)');
    const shape = (ctx.options.shape ?? 'parakeet-eou') as string;
    if (!(shape in synthShapes))
      throw new CLIError(
        `--shape must be one of ${Object.keys(synthShapes).join(', ')}, got ${JSON.stringify(shape)}`,
      );
    const seed = parseIntegerFlag(ctx.options.seed, '--seed', 1);
    if (seed > 0xffffffff) throw new CLIError(`--seed must be below 2^32, got ${seed}`);
    const margin = parseMargin(ctx.options.margin);
    const dir = resolve(ctx.cwd, out);
    const model = writeSynthModelDirectory(
      dir,
      { shape: shape as SynthShapeName, seed, margin, batch: ctx.options.batch === true },
      {
        // Variant files built from the replaced pair would still load with its weights.
        onRemoved: (paths) =>
          ctx.stderr.write(
            `eou synth-model: removed ${paths.map((p) => basename(p)).join(', ')} (built from the replaced decoder/joint_decision; rebuild with \`eou fuse\`)\n`,
          ),
      },
    );
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

/**
 * `eou decode`: greedy-decodes one utterance of cached encoder frames (.npy) with a model
 * directory and a variant, on ONNX Runtime, and prints tokens, their frames, the text and EOUs.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { checkVariantSources, isVariantKind } from '@eou/fusion';
import { checkOnnxWeights, GraphError } from '@eou/graph';
import { OnnxRuntimeError, openOnnxSession } from '@eou/onnx-runtime';
import {
  decodeUtterance,
  detokenize,
  eouPolicies,
  loadModelDirectory,
  parseNpy,
  RnntDecodeError,
  variantNames,
} from '@eou/rnnt-decode';
import type { EouPolicy, LoadedModel } from '@eou/rnnt-decode';
import { CLIError } from '../cliError';
import { embeddedModelDir } from '../gate/embeddedDefault';
import { defineCommand } from '../command';
import { parseIntegerFlag } from './synthModel';

/** Turns a package's bad-input error into the CLI's one-line exit-2 error. */
function badInput(error: unknown): never {
  if (error instanceof RnntDecodeError || error instanceof OnnxRuntimeError || error instanceof GraphError) {
    throw new CLIError(`eou decode: ${error.message}`, 'E_BAD_INPUT', { cause: error });
  }
  if (error instanceof RangeError || error instanceof TypeError)
    throw new CLIError(`eou decode: ${error.message}`, 'E_USAGE', { cause: error });
  throw error;
}

export default defineCommand({
  name: 'decode',
  description:
    'Greedy-decode one .npy of encoder frames with a model directory and print tokens, frames, text and EOUs.',
  options: {
    model: {
      type: 'string',
      valueName: 'DIR',
      description:
        'Model directory (model.json, vocab.json, decoder.onnx, joint_decision.onnx, ...); default: the embedded tiny EOU model.',
    },
    frames: {
      type: 'string',
      valueName: 'F.npy',
      description: 'Encoder frames, float32 or float16 [N,E] in C order.',
    },
    variant: {
      type: 'string',
      valueName: 'V',
      description: `Variant: ${variantNames.join(', ')} (default ref).`,
    },
    'eou-policy': {
      type: 'string',
      valueName: 'P',
      description: `EOU handling: ${eouPolicies.join(', ')} (default reset, as the gate and parity: record EOU, reset the state, go on; stop-chunk is production streaming).`,
    },
    'chunk-frames': {
      type: 'string',
      valueName: 'N',
      description: 'Decode in chunks of N frames, state carried across (default: one chunk).',
    },
    threads: { type: 'string', valueName: 'N', description: 'ONNX Runtime intra-op threads (default 1).' },
    json: { type: 'boolean', description: 'Print one JSON document on stdout.' },
  },
  examples: [
    'eou decode --model model/ --frames corpus/frames/synth-00000.npy',
    'eou decode --model model/ --frames f.npy --variant cached --eou-policy reset --json',
  ],
  async run(ctx) {
    const { model, frames } = ctx.options;
    if (typeof frames !== 'string') throw new CLIError('eou decode: missing --frames F.npy');
    const variant = typeof ctx.options.variant === 'string' ? ctx.options.variant : 'ref';
    if (!(variantNames as readonly string[]).includes(variant))
      throw new CLIError(
        `--variant must be one of ${variantNames.join(', ')}, got ${JSON.stringify(variant)}`,
      );
    const policyText = ctx.options['eou-policy'];
    if (policyText !== undefined && !(eouPolicies as readonly unknown[]).includes(policyText)) {
      throw new CLIError(
        `--eou-policy must be one of ${eouPolicies.join(', ')}, got ${JSON.stringify(policyText)}`,
      );
    }
    const chunkFrames =
      ctx.options['chunk-frames'] === undefined
        ? undefined
        : parseIntegerFlag(ctx.options['chunk-frames'], '--chunk-frames', 0, 1);
    const threads = parseIntegerFlag(ctx.options.threads, '--threads', 1, 1);
    const framesPath = resolve(ctx.cwd, frames);
    if (!existsSync(framesPath))
      throw new CLIError(`eou decode: ${framesPath}: frames file not found`, 'E_BAD_INPUT');
    const modelDir = typeof model === 'string' ? resolve(ctx.cwd, model) : embeddedModelDir();
    let npy;
    try {
      // A plain Uint8Array copy: parseNpy slices its input, and a pooled Buffer's slice is a view.
      npy = parseNpy(new Uint8Array(readFileSync(framesPath)), framesPath);
    } catch (error) {
      badInput(error);
    }
    const bad = npy.data.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) {
      throw new CLIError(
        `eou decode: ${framesPath}: non-finite value ${npy.data[bad]} at frame ${Math.floor(bad / npy.dims[1])}`,
        'E_BAD_INPUT',
      );
    }
    const io = {
      readText: (p: string) => readFileSync(p, 'utf8'),
      exists: (p: string) => existsSync(p),
      openSession: (p: string) => {
        // ONNX Runtime would run float64 weights cast to float32; the contract stores fp16/fp32.
        if (p.endsWith('.onnx')) checkOnnxWeights(p);
        return openOnnxSession(p, { intraOpNumThreads: threads });
      },
    };
    if (isVariantKind(variant) && existsSync(join(modelDir, 'decoder.onnx'))) {
      try {
        checkVariantSources(modelDir, variant);
      } catch (error) {
        badInput(error);
      }
    }
    let loaded: LoadedModel | undefined;
    try {
      loaded = await loadModelDirectory(modelDir, variant, io, {
        decode: { eouPolicy: (policyText ?? 'reset') as EouPolicy },
      });
      const [n, e] = npy.dims;
      if (e !== loaded.config.encoderDim) {
        throw new CLIError(
          `eou decode: ${framesPath}: frames are [${n},${e}], the model expects E=${loaded.config.encoderDim} (model.json encoderDim)`,
          'E_BAD_INPUT',
        );
      }
      const result = await decodeUtterance(
        loaded.model,
        npy.data,
        n,
        loaded.decodeConfig,
        chunkFrames === undefined ? {} : { chunkFrames },
      );
      const cfg = loaded.decodeConfig;
      const text = detokenize(result.tokens, loaded.vocab, {
        eouId: cfg.eouId,
        blankId: cfg.blankId,
        dropFromText: cfg.dropFromText,
      });
      const out = {
        tokens: Array.from(result.tokens),
        frames: Array.from(result.frames),
        text,
        eou: Array.from(result.eouFrames),
        probs: Array.from(result.probs, (p) => Math.round(p * 1e6) / 1e6),
        variant,
        eouPolicy: cfg.eouPolicy,
        frameCount: n,
        stats: result.stats,
      };
      if (ctx.options.json) ctx.stdout.write(JSON.stringify(out) + '\n');
      else ctx.stdout.write(text + '\n');
      ctx.stderr.write(
        `eou decode: ${variant}, ${n} frames, ${out.tokens.length} tokens, EOU at ${out.eou.length ? out.eou.join(',') : 'none'}\n`,
      );
      return 0;
    } catch (error) {
      if (error instanceof CLIError) throw error;
      return badInput(error);
    } finally {
      await loaded?.close();
    }
  },
});

/**
 * `eou decode`: greedy-decodes one utterance of cached encoder frames (.npy) with a model
 * directory and a variant, on ONNX Runtime, and prints tokens, their frames, the text and EOUs.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { checkVariantSources, isVariantKind } from '@eou/fusion';
import { checkOnnxWeights } from '@eou/graph';
import { openOnnxSession } from '@eou/onnx-runtime';
import {
  decodeUtterance,
  detokenize,
  eouPolicies,
  loadModelDirectory,
  parseNpy,
  variantNames,
} from '@eou/rnnt-decode';
import type { LoadedModel } from '@eou/rnnt-decode';
import { CLIError } from '../cliError';
import { defineCommand } from '../command';
import { modelFor } from '../modelDefaults';
import { rangeErrorAsBadInput } from '../errors';
import { inputLimit, readInputFile, readInputText } from '../inputFiles';
import { capped } from '../workerCaps';

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
      required: true,
      valueName: 'F.npy',
      description: 'Encoder frames, float32 or float16 [N,E] in C order.',
    },
    variant: {
      type: 'enum',
      choices: variantNames,
      default: 'ref',
      valueName: 'V',
      description: `Variant: ${variantNames.join(', ')}.`,
    },
    'eou-policy': {
      type: 'enum',
      choices: eouPolicies,
      default: 'reset',
      valueName: 'P',
      description: `EOU handling: ${eouPolicies.join(', ')} (reset, as the gate and parity: record EOU, reset the state, go on; stop-chunk is production streaming).`,
    },
    'chunk-frames': {
      type: 'integer',
      min: 1,
      valueName: 'N',
      description: 'Decode in chunks of N frames, state carried across (default: one chunk).',
    },
    threads: {
      type: 'integer',
      min: 1,
      default: 1,
      valueName: 'N',
      description:
        'ONNX Runtime intra-op threads (at most the cores available; a larger value runs as that, with a note).',
    },
    json: { type: 'boolean', description: 'Print one JSON document on stdout.' },
  },
  examples: [
    'eou decode --model model/ --frames corpus/frames/synth-00000.npy',
    'eou decode --model model/ --frames f.npy --variant cached --eou-policy reset --json',
  ],
  async run(ctx) {
    const { model, frames, variant } = ctx.options;
    const threads = capped('decode', 'threads', ctx.options.threads, ctx.stderr);
    const chunkFrames = ctx.options['chunk-frames'];
    const framesPath = resolve(ctx.cwd, frames);
    if (!existsSync(framesPath))
      throw new CLIError(`eou decode: ${framesPath}: frames file not found`, 'E_BAD_INPUT');
    const limit = inputLimit(ctx.env);
    const framesBytes = readInputFile(framesPath, limit, 'eou decode: --frames ');
    const modelDir = (await modelFor(ctx, 'decode', model, [variant])).dir;
    let npy;
    try {
      // A plain Uint8Array copy: parseNpy slices its input, and a pooled Buffer's slice is a view.
      npy = parseNpy(new Uint8Array(framesBytes), framesPath);
    } catch (error) {
      rangeErrorAsBadInput('decode', error);
    }
    const bad = npy.data.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) {
      throw new CLIError(
        `eou decode: ${framesPath}: non-finite value ${npy.data[bad]} at frame ${Math.floor(bad / npy.dims[1])}`,
        'E_BAD_INPUT',
      );
    }
    const io = {
      readText: (p: string) => readInputText(p, limit, 'eou decode: '),
      exists: (p: string) => existsSync(p),
      openSession: (p: string) => {
        // ONNX Runtime would run float64 weights cast to float32; the contract stores fp16/fp32.
        if (p.endsWith('.onnx')) checkOnnxWeights(p);
        return openOnnxSession(p, { intraOpNumThreads: threads });
      },
    };
    if (isVariantKind(variant) && existsSync(join(modelDir, 'decoder.onnx'))) {
      checkVariantSources(modelDir, variant);
    }
    let loaded: LoadedModel | undefined;
    try {
      loaded = await loadModelDirectory(modelDir, variant, io, {
        decode: { eouPolicy: ctx.options['eou-policy'] },
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
        threads,
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
      return rangeErrorAsBadInput('decode', error);
    } finally {
      await loaded?.close();
    }
  },
});

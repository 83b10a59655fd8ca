/**
 * `eou parity`: step parity of two variants of a model directory on a corpus of cached encoder
 * frames, teacher-forced and free-running, with the seed's STRICT/FUNCTIONAL verdict. Exit 0 iff
 * FUNCTIONAL, 1 otherwise, 2 for bad input.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import {
  checkVariantSources,
  isVariantKind,
  loopRunner,
  openVariantStepper,
  parityExitCode,
  renderParity,
  runParity,
} from '@eou/fusion';
import type { LoopModel, ParityFile, VariantStepper } from '@eou/fusion';
import { parseManifest } from '@eou/gate';
import { openOnnxSession } from '@eou/onnx-runtime';
import {
  decodeUtterance,
  detokenize,
  eouPolicies,
  loadModelDirectory,
  lstmStepModel,
  parseNpy,
} from '@eou/rnnt-decode';
import type { LoadedModel } from '@eou/rnnt-decode';
import { CLIError } from '../cliError';
import { defineCommand } from '../command';
import { DEFAULT_SET, embeddedSetDir } from '../embeddedDefault';
import { rangeErrorAsBadInput } from '../errors';
import { inputLimit, readInputFile, readInputText } from '../inputFiles';
import { modelFor } from '../modelDefaults';
import { createProgress, progressSettings } from '../progress';

function badInput(error: unknown): never {
  return rangeErrorAsBadInput('parity', error);
}

export default defineCommand({
  name: 'parity',
  description:
    'Compare two variants step by step (teacher-forced and free-running) on cached encoder frames.',
  options: {
    model: {
      type: 'string',
      valueName: 'DIR',
      description:
        "Model directory (model.json, vocab.json and the variants' files); default: the embedded tiny EOU model. Missing fused variants are built on first use in the cache.",
    },
    a: {
      type: 'string',
      valueName: 'V',
      description: 'Reference variant (drives the teacher-forced trajectory).',
      default: 'ref',
    },
    b: {
      type: 'string',
      required: true,
      missingHint: 'the candidate variant',
      valueName: 'V',
      description: 'Candidate variant.',
    },
    data: {
      type: 'string',
      valueName: 'DIR',
      description: `Corpus directory with manifest.jsonl and .npy encoder frames (default with the embedded model: its ${DEFAULT_SET} set).`,
    },
    files: {
      type: 'integer',
      min: 1,
      expected: 'a positive integer',
      valueName: 'N',
      description: 'Use only the first N files of the manifest.',
    },
    'eou-policy': {
      type: 'enum',
      choices: eouPolicies,
      valueName: 'P',
      description: 'EOU policy of both loops: reset (harness) or stop-chunk.',
      default: 'reset',
    },
    json: { type: 'boolean', description: 'Print one JSON document on stdout.' },
  },
  examples: [
    'eou parity --model model/ --a ref --b lean --data corpus/',
    'eou parity --model model/ --b pipeline --data corpus/ --files 5 --json',
    'eou parity --b lean --files 20   # the embedded model on its held-out set',
  ],
  async run(ctx) {
    const o = ctx.options;
    const policy = o['eou-policy'];
    const limit = o.files ?? Infinity;
    const bytes = inputLimit(ctx.env);
    if (o.data === undefined && o.model !== undefined)
      throw new CLIError('eou parity: missing --data DIR (a corpus with manifest.jsonl for --model)');
    const dataDir = o.data === undefined ? embeddedSetDir(DEFAULT_SET) : resolve(ctx.cwd, o.data);
    const manifestPath = join(dataDir, 'manifest.jsonl');
    if (!existsSync(manifestPath))
      throw new CLIError(
        `eou parity: ${manifestPath}: not found (--data must hold manifest.jsonl)`,
        'E_BAD_INPUT',
      );
    const names = [o.a, o.b];
    const modelDir = (await modelFor(ctx, 'parity', o.model, names)).dir;
    const io = {
      readText: (p: string) => readInputText(p, bytes, 'eou parity: '),
      exists: (p: string) => existsSync(p),
      openSession: (p: string) => openOnnxSession(p),
    };
    const loaded: LoadedModel[] = [];
    const steppers: VariantStepper[] = [];
    try {
      let entries;
      try {
        entries = parseManifest(readInputFile(manifestPath, bytes, 'eou parity: '), manifestPath).slice(
          0,
          limit,
        );
        // A fused file built from an older decoder/joint pair would still load; refuse it first.
        for (const name of new Set(names)) if (isVariantKind(name)) checkVariantSources(modelDir, name);
        for (const name of new Set(names))
          loaded.push(await loadModelDirectory(modelDir, name, io, { decode: { eouPolicy: policy } }));
        for (const name of names)
          steppers.push(await openVariantStepper(modelDir, name, (p) => openOnnxSession(p)));
      } catch (error) {
        badInput(error);
      }
      const cfg = loaded[0]!.config;
      const models: Record<string, LoopModel> = {};
      for (const l of loaded)
        models[l.variant.name] = {
          model: lstmStepModel(l, 'eou parity'),
          predictionPolicy: l.decodeConfig.predictionPolicy,
        };
      const base = dirname(manifestPath);
      const files = function* (): Generator<ParityFile> {
        for (const e of entries) {
          const path = join(base, e.frames);
          let npy;
          try {
            // A plain Uint8Array copy: parseNpy slices its input, and a pooled Buffer's slice is a view.
            npy = parseNpy(new Uint8Array(readInputFile(path, bytes, 'eou parity: ')), path);
          } catch (error) {
            if ((error as NodeJS.ErrnoException).code === 'ENOENT')
              throw new CLIError(`eou parity: ${path}: not found (manifest line ${e.line})`, 'E_BAD_INPUT');
            badInput(error);
          }
          if (npy.dims[1] !== cfg.encoderDim) {
            throw new CLIError(
              `eou parity: ${path}: frames have width ${npy.dims[1]}, the model's encoderDim is ${cfg.encoderDim}`,
              'E_BAD_INPUT',
            );
          }
          yield { id: e.id, frames: npy.data, frameCount: npy.dims[0] };
        }
      };
      const progress = createProgress(ctx.stderr, entries.length, {
        ...progressSettings(ctx),
        label: 'eou parity',
      });
      const report = await runParity(steppers[0]!, steppers[1]!, files(), {
        config: {
          blankId: cfg.blankId,
          eouId: cfg.eouId!, // lstmStepModel refused a model without one
          maxSymbolsPerFrame: cfg.maxSymbolsPerFrame,
          eouPolicy: policy,
          vocabSize: cfg.vocabSize,
        },
        runner: loopRunner(decodeUtterance, models),
        runnerName: '@eou/rnnt-decode',
        onFile: (done) => progress.tick(done),
      });
      progress.finish();
      if (o.json) ctx.stdout.write(JSON.stringify(report) + '\n');
      else
        ctx.stdout.write(
          renderParity(report, {
            detokenize: (tokens) => detokenize(tokens, loaded[0]!.vocab, loaded[0]!.decodeConfig),
          }),
        );
      return parityExitCode(report.verdict);
    } finally {
      for (const s of steppers) await s.close();
      for (const l of loaded) await l.close();
    }
  },
});

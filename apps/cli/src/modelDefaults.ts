/**
 * One rule for every command that takes a model (`wer-gate`, `decode`, `parity`, `bench`): `--model
 * DIR`, else the embedded tiny EOU model; and the variants a command needs are built on first use,
 * with a line naming each one. A directory the user names is never written: when a variant is
 * missing, its decoder, joint and metadata are copied once into the cache (keyed by their hash) and
 * the variant is built there, as for the embedded model.
 */
import fs from 'node:fs';
import path from 'node:path';
import { prepareCachedModel } from '@eou/gate';
import { readModelDirectory } from '@eou/model-dir';
import { variantFiles, variantNames, variantSpec } from '@eou/rnnt-decode';
import { cacheDir, prepareEmbeddedModel } from './embeddedDefault';

export interface ModelChoice {
  /** The directory to load: the named one, or a cache copy with the missing variants built. */
  readonly dir: string;
  /** True for the embedded tiny EOU model. */
  readonly embedded: boolean;
}

interface ModelContext {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly stderr: { write(text: string): unknown };
}

/** ONNX variants of `variants` that `dir` lacks and `@eou/fusion` can build from its decoder and joint. */
export function missingBuildableVariants(dir: string, variants: readonly string[]): string[] {
  return variants.filter((v) => {
    if (!(variantNames as readonly string[]).includes(v)) return false;
    const spec = variantSpec(v);
    return (
      spec.buildable &&
      !Object.values(variantFiles(spec, 'onnx')).every((f) => fs.existsSync(path.join(dir, f)))
    );
  });
}

/**
 * The files of a model directory a cache copy needs: metadata, decoder and joint to build variants, and
 * the encoders, so the audio commands run on the copy too.
 */
const SOURCE_FILE = /^(model\.json|vocab\.json|(decoder|joint_decision|encoder[\w.-]*)\.onnx(\.data)?)$/;

/**
 * The model directory `command` runs on, with `variants` available.
 * @param model the `--model` value (relative to the working directory), or undefined for the embedded model.
 */
export async function modelFor(
  ctx: ModelContext,
  command: string,
  model: string | undefined,
  variants: readonly string[],
): Promise<ModelChoice> {
  const log = (line: string) => ctx.stderr.write(`eou ${command}: ${line}\n`);
  if (model === undefined) return { dir: await prepareEmbeddedModel(variants, ctx.env, log), embedded: true };
  const dir = path.resolve(ctx.cwd, model);
  // Anything else (not a directory, no model.json, CoreML graphs) is the loader's to report.
  if (!fs.existsSync(path.join(dir, 'model.json')) || !fs.existsSync(path.join(dir, 'decoder.onnx')))
    return { dir, embedded: false };
  const missing = missingBuildableVariants(dir, variants);
  if (missing.length === 0) return { dir, embedded: false };
  // Checked before a build, so that a bad model.json is named as the user's file, not the cache's copy.
  readModelDirectory(dir);
  const files = fs
    .readdirSync(dir)
    .filter((f) => SOURCE_FILE.test(f))
    .sort();
  const cached = await prepareCachedModel({
    sourceDir: dir,
    files,
    cacheDir: cacheDir(ctx.env),
    name: path.basename(dir) || 'model',
    variants,
    onEvent: (e) => {
      if (e.kind === 'build-variant')
        log(
          `building the ${e.variant} variant from ${dir}'s decoder and joint into ${e.dir} (once: later runs reuse it; \`eou fuse --model ${model} --variant ${e.variant}\` builds it in place)`,
        );
    },
  });
  return { dir: cached, embedded: false };
}

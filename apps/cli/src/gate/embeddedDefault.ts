/**
 * The embedded default of `eou wer-gate` and `eou decode`: the tiny EOU transducer trained by
 * `tools/tiny-eou` and its held-out test sets, shipped in `@eou/tiny-eou-model`. Fused variants are
 * built from its shipped weights on first use into a cache directory (the package itself may be
 * read-only), keyed by the hash of the shipped files.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fuseModelDirectory } from '@eou/fusion';
import * as tinyEou from '@eou/tiny-eou-model';
import { CLIError } from '../cliError';

export const embeddedModelDir = () => tinyEou.modelDir;
export const embeddedSetsDir = () => tinyEou.setsDir;
/** The sets shipped with the embedded model (`@eou/tiny-eou-model`'s `sets/<name>`). */
export const embeddedSetNames: readonly string[] = tinyEou.setNames;
/** The set the default gate runs on: held-out synthetic voices of the training domain. */
export const DEFAULT_SET = tinyEou.defaultSet;
export const embeddedSetDir = (name: string) => tinyEou.setDir(name as tinyEou.SetName);

export function cacheDir(env: NodeJS.ProcessEnv): string {
  if (env.EOU_CACHE_DIR) return env.EOU_CACHE_DIR;
  const base = env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'eou');
}

const SHIPPED = tinyEou.modelFiles;

/** A file each buildable variant writes, to tell whether it was built. */
const FUSED_FILE: Readonly<Record<string, string>> = {
  pipeline: 'decoder_joint_decision_pipeline.onnx',
  lean: 'decoder_joint_decision_fused.onnx',
  'lean-topk': 'decoder_joint_decision_fused_topk.onnx',
  projected: 'projected_joint.onnx',
};

/**
 * Copies the shipped model into the cache (once per content hash) and builds the fused variants
 * the gate needs there. Returns the cached model directory.
 */
export function prepareEmbeddedModel(
  variants: readonly string[],
  env: NodeJS.ProcessEnv,
  log: (line: string) => void,
): string {
  const src = embeddedModelDir();
  const hash = createHash('sha256');
  for (const name of SHIPPED) hash.update(name).update(fs.readFileSync(path.join(src, name)));
  const dir = path.join(cacheDir(env), 'models', `tiny-eou-${hash.digest('hex').slice(0, 16)}`);
  if (!fs.existsSync(path.join(dir, 'model.json'))) {
    const tmp = `${dir}.tmp-${process.pid}`;
    fs.mkdirSync(tmp, { recursive: true });
    for (const name of SHIPPED) fs.copyFileSync(path.join(src, name), path.join(tmp, name));
    fs.rmSync(dir, { recursive: true, force: true });
    fs.renameSync(tmp, dir);
  }
  for (const v of variants) {
    const file = FUSED_FILE[v];
    if (file && !fs.existsSync(path.join(dir, file))) {
      log(`eou wer-gate: building the ${v} variant from the shipped weights into ${dir}`);
      fuseModelDirectory(dir, { variant: v });
    }
  }
  return dir;
}

const SYNTHETIC_FILES = 200;

/**
 * `eou wer-gate --synthetic`: a parakeet-shaped synthetic model (the real bundle's sizes, so
 * timings mean something) and a matching 200-file corpus (1% low-margin frames), generated
 * deterministically on first use into the cache, with the requested fused variants built from
 * its weights.
 */
export async function prepareSyntheticDefault(
  variants: readonly string[],
  env: NodeJS.ProcessEnv,
  log: (line: string) => void,
): Promise<{ modelDir: string; dataDir: string }> {
  const dir = path.join(cacheDir(env), 'synthetic-default-v1');
  const modelDir = path.join(dir, 'model');
  const dataDir = path.join(dir, 'corpus');
  if (!fs.existsSync(path.join(dataDir, 'manifest.jsonl'))) {
    log(
      `eou wer-gate: generating the synthetic parakeet-shaped model and ${SYNTHETIC_FILES}-file corpus in ${dir}`,
    );
    const tmp = `${dir}.tmp-${process.pid}`;
    fs.rmSync(tmp, { recursive: true, force: true });
    const { runMain } = await import('../main');
    const { Writable } = await import('node:stream');
    const sink = new Writable({ write: (_c, _e, cb) => cb() });
    const steps = [
      ['synth-model', '--out', path.join(tmp, 'model'), '--shape', 'parakeet-eou', '--seed', '1'],
      [
        'synth-corpus',
        '--model',
        path.join(tmp, 'model'),
        '--out',
        path.join(tmp, 'corpus'),
        '--files',
        String(SYNTHETIC_FILES),
        '--low-margin-share',
        '0.01',
      ],
    ];
    for (const argv of steps) {
      const code = await runMain(argv, { stdout: sink, stderr: sink, env });
      if (code !== 0)
        throw new CLIError(
          `eou wer-gate: could not generate the synthetic model and corpus (eou ${argv.join(' ')} exited ${code})`,
        );
    }
    fs.rmSync(dir, { recursive: true, force: true });
    fs.renameSync(tmp, dir);
  }
  for (const v of variants) {
    const file = FUSED_FILE[v];
    if (file && !fs.existsSync(path.join(modelDir, file))) {
      log(`eou wer-gate: building the ${v} variant into ${modelDir}`);
      fuseModelDirectory(modelDir, { variant: v });
    }
  }
  return { modelDir, dataDir };
}

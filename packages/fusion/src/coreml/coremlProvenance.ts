/**
 * What built a CoreML variant package from which inputs: the user-defined metadata every package
 * carries (`eou.kind`, `eou.variant`, `eou.producer`, and `eou.inputs` with the SHA-256 of every
 * file of both input models), so a package can be traced to the exact pair it came from.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { CoreMLModel } from '@eou/coreml-format';
import { version } from '../version';

/** What built a package, from which input files (path relative to the input model -> sha256). */
export interface BuildProvenance {
  readonly builder: string;
  readonly inputs: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/** sha256 of every file under `dir`, by path relative to it, in sorted order ('' hashes nothing). */
export function hashFiles(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d).sort()) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(dir, p)] = createHash('sha256').update(readFileSync(p)).digest('hex');
    }
  };
  if (dir !== '') walk(dir);
  return out;
}

/** The user-defined metadata of variant `variant` built from `decoder` and `joint`. */
export function provenanceMetadata(
  variant: string,
  decoder: CoreMLModel,
  joint: CoreMLModel,
): Record<string, string> {
  const prov: BuildProvenance = {
    // the same form as the ONNX variants' `eou.producer`
    builder: `@eou/fusion ${version} fuse --variant ${variant} --format mlpackage`,
    inputs: {
      [decoder.path || 'decoder']: hashFiles(decoder.path),
      [joint.path || 'joint_decision']: hashFiles(joint.path),
    },
  };
  return {
    'eou.kind': 'fused',
    'eou.variant': variant,
    'eou.producer': prov.builder,
    'eou.inputs': JSON.stringify(prov.inputs),
  };
}

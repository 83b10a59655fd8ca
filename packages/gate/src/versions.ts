/** Versions of the gate, the packages whose code decides its results, and Node: the default provenance. */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

function versionOf(name: string): string {
  try {
    return (require(`${name}/package.json`) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** `{ '@eou/gate': '0.1.0', '@eou/rnnt-decode': ..., node: 'v20...' }`. */
export function gateVersions(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of [
    '@eou/gate',
    '@eou/rnnt-decode',
    '@eou/wer',
    '@eou/onnx-runtime',
    '@eou/fusion',
    '@eou/frontend',
  ])
    out[name] = versionOf(name);
  out.node = process.version;
  return out;
}

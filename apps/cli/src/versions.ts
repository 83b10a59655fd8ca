/** Versions of the CLI, its @eou packages and Node, for `eou version` and for report provenance. */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

function versionOf(name: string): string {
  try {
    return (require(`${name}/package.json`) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

export function packageVersions(): Record<string, string> {
  const names = [
    '@eou/cli',
    '@eou/rnnt-decode',
    '@eou/wer',
    '@eou/bench',
    '@eou/onnx-runtime',
    '@eou/graph',
    '@eou/coreml-format',
    '@eou/fusion',
    '@eou/gate',
    '@eou/frontend',
    '@eou/tiny-eou-model',
  ];
  const out: Record<string, string> = {};
  for (const name of names) out[name] = versionOf(name);
  out.node = process.version;
  return out;
}

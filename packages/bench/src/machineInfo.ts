import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Where a result was measured; stored in every results file so comparisons can warn. */
export interface MachineInfo {
  readonly cpuModel: string;
  /** Logical CPUs (`os.cpus().length`). */
  readonly cpus: number;
  readonly availableParallelism: number;
  readonly totalMemoryBytes: number;
  readonly freeMemoryBytes: number;
  /** 1, 5 and 15 minute load averages when the run started: a busy machine widens every interval. */
  readonly loadAverage: readonly number[];
  readonly platform: string;
  readonly release: string;
  readonly arch: string;
  readonly node: string;
  readonly v8: string;
  /** Version of the `onnxruntime-node` package resolvable from `cwd`, or null. */
  readonly onnxruntimeNode: string | null;
  /** `git rev-parse HEAD` in `cwd`, or null outside a repository. */
  readonly gitCommit: string | null;
}

function packageVersionFrom(dir: string, name: string): string | null {
  // Walks up like Node's resolver, without going through the package's `exports` map.
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    const file = path.join(d, 'node_modules', name, 'package.json');
    if (existsSync(file)) {
      try {
        const version = (JSON.parse(readFileSync(file, 'utf8')) as { version?: unknown }).version;
        return typeof version === 'string' ? version : null;
      } catch {
        return null;
      }
    }
    if (path.dirname(d) === d) return null;
  }
}

function gitCommit(cwd: string): string | null {
  try {
    const out = execFileSync('git', ['rev-parse', 'HEAD'], {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 5000,
    }).trim();
    return /^[0-9a-f]{40,64}$/.test(out) ? out : null;
  } catch {
    return null;
  }
}

/** Describes this machine and runtime. `cwd` (default `process.cwd()`) is where git and packages are looked up. */
export function machineInfo(cwd: string = process.cwd()): MachineInfo {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cpus: cpus.length,
    availableParallelism: os.availableParallelism(),
    totalMemoryBytes: os.totalmem(),
    freeMemoryBytes: os.freemem(),
    loadAverage: os.loadavg(),
    platform: process.platform,
    release: os.release(),
    arch: process.arch,
    node: process.version,
    v8: process.versions.v8,
    onnxruntimeNode: packageVersionFrom(cwd, 'onnxruntime-node'),
    gitCommit: gitCommit(cwd),
  };
}

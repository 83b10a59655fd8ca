import { readBenchResults } from './benchResults';
import { BenchError } from './benchError';
import { compareToBaseline, formatComparisonMarkdown } from './compareToBaseline';

const USAGE =
  'usage: eou-bench compare CURRENT.json BASELINE.json [--tolerance 0.05] [--median-tolerance 0.1] [--k 3] [--fail-on-median] [--json]';

/**
 * The `eou-bench` command line: `compare CURRENT BASELINE` prints the comparison (Markdown, or JSON
 * with `--json`) and returns the exit code: 0 no regression, 1 regression, 2 bad usage or input.
 */
export function compareCli(
  args: readonly string[],
  stdout: { write(text: string): unknown },
  stderr: { write(text: string): unknown },
): number {
  const [command, ...rest] = args;
  if (command === '--help' || command === '-h') {
    stdout.write(USAGE + '\n');
    return 0;
  }
  if (command !== 'compare') {
    stderr.write(`eou-bench: unknown command ${JSON.stringify(command ?? '')}; ${USAGE}\n`);
    return 2;
  }
  const files: string[] = [];
  const numbers: Record<string, number> = {};
  let json = false;
  let failOnMedian = false;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] as string;
    if (arg === '--json') json = true;
    else if (arg === '--fail-on-median') failOnMedian = true;
    else if (arg === '--tolerance' || arg === '--median-tolerance' || arg === '--k') {
      const value = Number(rest[++i]);
      if (!Number.isFinite(value) || value < 0) {
        stderr.write(`eou-bench: ${arg} needs a number >= 0, got ${JSON.stringify(rest[i] ?? '')}\n`);
        return 2;
      }
      numbers[arg === '--median-tolerance' ? 'medianTolerance' : arg.slice(2)] = value;
    } else if (arg.startsWith('--')) {
      stderr.write(`eou-bench: unknown option ${arg}; ${USAGE}\n`);
      return 2;
    } else files.push(arg);
  }
  if (files.length !== 2) {
    stderr.write(`eou-bench: compare needs CURRENT and BASELINE files, got ${files.length}; ${USAGE}\n`);
    return 2;
  }
  try {
    const comparison = compareToBaseline(
      readBenchResults(files[0] as string),
      readBenchResults(files[1] as string),
      { ...numbers, medians: failOnMedian ? 'fail' : 'report' },
    );
    stdout.write(json ? JSON.stringify(comparison) + '\n' : formatComparisonMarkdown(comparison));
    return comparison.regressed ? 1 : 0;
  } catch (error) {
    if (error instanceof BenchError) {
      stderr.write(`eou-bench: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

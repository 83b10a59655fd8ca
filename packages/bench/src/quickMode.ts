/**
 * True when benchmarks should run in quick mode (a few seconds, for CI): the environment variable
 * `EOU_BENCH_QUICK` is `1` or `true`, or the process was started with `--quick`.
 */
export function quickMode(
  env: NodeJS.ProcessEnv = process.env,
  argv: readonly string[] = process.argv,
): boolean {
  const flag = env['EOU_BENCH_QUICK']?.toLowerCase();
  return flag === '1' || flag === 'true' || argv.includes('--quick');
}

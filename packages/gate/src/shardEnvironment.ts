/**
 * `--shard auto`: the shard of this process from the variables the job engines teams already run
 * set in each task. Read from the environment the caller passes (never `process.env` here):
 *
 * | engine                  | index (0-based unless noted)                      | count                                                          |
 * | ----------------------- | ------------------------------------------------- | -------------------------------------------------------------- |
 * | Kubernetes Indexed Job  | `JOB_COMPLETION_INDEX`                            | `EOU_SHARD_COUNT` (the Job's `completions`; Kubernetes sets no count) |
 * | Slurm job array         | `SLURM_ARRAY_TASK_ID` − `SLURM_ARRAY_TASK_MIN`, ÷ `SLURM_ARRAY_TASK_STEP` | `SLURM_ARRAY_TASK_COUNT` (checked against MIN/MAX/STEP) |
 * | AWS Batch array job     | `AWS_BATCH_JOB_ARRAY_INDEX`                       | `AWS_BATCH_JOB_ARRAY_SIZE`                                     |
 * | anything else (a GitHub Actions matrix) | `EOU_SHARD_INDEX` (1-based, as `--shard i/n`) | `EOU_SHARD_COUNT`                                  |
 */
import { GateError } from './gateError';
import type { Shard } from './shard';

/** The engine a shard came from. */
export type ShardEngine = 'kubernetes' | 'slurm' | 'aws-batch' | 'eou';

/** What {@link shardFromEnvironment} found. */
export interface EnvironmentShard {
  readonly shard: Shard;
  readonly engine: ShardEngine;
  /** The variables it read, by name. */
  readonly variables: Readonly<Record<string, string>>;
  /** For reports and logs: `Kubernetes Indexed Job (JOB_COMPLETION_INDEX=1, EOU_SHARD_COUNT=4)`. */
  readonly description: string;
}

/** The engines' names in reports. */
export const shardEngineNames: Readonly<Record<ShardEngine, string>> = {
  kubernetes: 'Kubernetes Indexed Job',
  slurm: 'Slurm job array',
  'aws-batch': 'AWS Batch array job',
  eou: 'EOU_SHARD_INDEX/EOU_SHARD_COUNT (e.g. a GitHub Actions matrix)',
};

/** The variable whose presence names each engine. */
const MARKERS: readonly (readonly [ShardEngine, string])[] = [
  ['kubernetes', 'JOB_COMPLETION_INDEX'],
  ['slurm', 'SLURM_ARRAY_TASK_ID'],
  ['aws-batch', 'AWS_BATCH_JOB_ARRAY_INDEX'],
  ['eou', 'EOU_SHARD_INDEX'],
];

type Env = Readonly<Record<string, string | undefined>>;

function bad(name: string, message: string): GateError {
  return new GateError('E_BAD_SHARD', `--shard auto: ${message}`, { field: name });
}

function integer(env: Env, name: string, min: number, why: string): number {
  const text = env[name];
  if (text === undefined || text.trim() === '') throw bad(name, `${name} is not set (${why})`);
  if (!/^\d+$/.test(text.trim()) || Number(text) < min)
    throw bad(name, `${name} must be an integer >= ${min}, got '${text}'`);
  return Number(text);
}

/**
 * The shard of this task from a job engine's variables.
 * @throws {GateError} `E_BAD_SHARD` naming the variable: none of the engines' variables set, two
 *   engines' variables set at once, a count missing or not a positive integer, an index outside
 *   the count, a Slurm array whose task ids are not one evenly stepped range.
 */
export function shardFromEnvironment(env: Env): EnvironmentShard {
  const found = MARKERS.filter(([, v]) => env[v] !== undefined && env[v] !== '');
  if (found.length === 0)
    throw bad(
      'shard',
      `no shard variables found (looked for ${MARKERS.map(([, v]) => v).join(', ')}); set EOU_SHARD_INDEX (1-based) and EOU_SHARD_COUNT, or give --shard i/n`,
    );
  if (found.length > 1)
    throw bad(
      found[1]![1],
      `variables of several engines are set (${found.map(([e, v]) => `${v}: ${shardEngineNames[e]}`).join('; ')}); unset all but one, or give --shard i/n`,
    );
  const engine = found[0]![0];
  let index0: number;
  let count: number;
  const read: Record<string, string> = {};
  const use = (...names: string[]) => {
    for (const n of names) if (env[n] !== undefined) read[n] = env[n];
  };
  switch (engine) {
    case 'kubernetes':
      index0 = integer(env, 'JOB_COMPLETION_INDEX', 0, 'set by Indexed Jobs');
      count = integer(env, 'EOU_SHARD_COUNT', 1, "Kubernetes sets no count: set it to the Job's completions");
      use('JOB_COMPLETION_INDEX', 'EOU_SHARD_COUNT');
      break;
    case 'aws-batch':
      index0 = integer(env, 'AWS_BATCH_JOB_ARRAY_INDEX', 0, 'set in child array jobs');
      count = integer(env, 'AWS_BATCH_JOB_ARRAY_SIZE', 1, 'set in child array jobs');
      use('AWS_BATCH_JOB_ARRAY_INDEX', 'AWS_BATCH_JOB_ARRAY_SIZE');
      break;
    case 'eou':
      index0 = integer(env, 'EOU_SHARD_INDEX', 1, '1-based') - 1;
      count = integer(env, 'EOU_SHARD_COUNT', 1, 'the number of shards');
      use('EOU_SHARD_INDEX', 'EOU_SHARD_COUNT');
      break;
    case 'slurm': {
      const id = integer(env, 'SLURM_ARRAY_TASK_ID', 0, 'set in array tasks');
      const min = integer(env, 'SLURM_ARRAY_TASK_MIN', 0, 'set in array tasks');
      const max = integer(env, 'SLURM_ARRAY_TASK_MAX', 0, 'set in array tasks');
      const step = env.SLURM_ARRAY_TASK_STEP ? integer(env, 'SLURM_ARRAY_TASK_STEP', 1, 'the array step') : 1;
      count = integer(env, 'SLURM_ARRAY_TASK_COUNT', 1, 'set in array tasks');
      use(
        'SLURM_ARRAY_TASK_ID',
        'SLURM_ARRAY_TASK_COUNT',
        'SLURM_ARRAY_TASK_MIN',
        'SLURM_ARRAY_TASK_MAX',
        'SLURM_ARRAY_TASK_STEP',
      );
      if ((max - min) % step !== 0 || (max - min) / step + 1 !== count || (id - min) % step !== 0)
        throw bad(
          'SLURM_ARRAY_TASK_COUNT',
          `the Slurm array's task ids are not one evenly stepped range (MIN ${min}, MAX ${max}, STEP ${step}, COUNT ${count}, this task ${id}); submit it as --array=0-${count - 1}`,
        );
      index0 = (id - min) / step;
      break;
    }
  }
  if (index0 >= count) {
    const name =
      engine === 'kubernetes'
        ? 'JOB_COMPLETION_INDEX'
        : engine === 'aws-batch'
          ? 'AWS_BATCH_JOB_ARRAY_INDEX'
          : engine === 'eou'
            ? 'EOU_SHARD_INDEX'
            : 'SLURM_ARRAY_TASK_ID';
    throw bad(name, `${name}=${env[name]} is outside the ${count} shard(s) the count gives`);
  }
  const variables = read;
  return {
    shard: { index: index0 + 1, count },
    engine,
    variables,
    description: `${shardEngineNames[engine]} (${Object.entries(variables)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ')})`,
  };
}

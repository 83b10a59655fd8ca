import { describe, expect, it } from 'vitest';
import { GateError } from './gateError';
import { shardFromEnvironment } from './shardEnvironment';

const shard = (env: Record<string, string>) => {
  const s = shardFromEnvironment(env);
  return [`${s.shard.index}/${s.shard.count}`, s.engine];
};
const failure = (env: Record<string, string>) => {
  try {
    shardFromEnvironment(env);
  } catch (error) {
    expect(error).toBeInstanceOf(GateError);
    return [(error as GateError).field, (error as Error).message];
  }
  throw new Error('expected a GateError');
};

describe(shardFromEnvironment, () => {
  it('reads each engine: 0-based indices become shard i/n', () => {
    expect(shard({ JOB_COMPLETION_INDEX: '0', EOU_SHARD_COUNT: '4' })).toEqual(['1/4', 'kubernetes']);
    expect(shard({ AWS_BATCH_JOB_ARRAY_INDEX: '9', AWS_BATCH_JOB_ARRAY_SIZE: '10' })).toEqual([
      '10/10',
      'aws-batch',
    ]);
    expect(shard({ EOU_SHARD_INDEX: '2', EOU_SHARD_COUNT: '3' })).toEqual(['2/3', 'eou']);
    const slurm = {
      SLURM_ARRAY_TASK_ID: '7',
      SLURM_ARRAY_TASK_MIN: '1',
      SLURM_ARRAY_TASK_MAX: '9',
      SLURM_ARRAY_TASK_STEP: '2',
      SLURM_ARRAY_TASK_COUNT: '5',
    };
    expect(shard(slurm)).toEqual(['4/5', 'slurm']);
    expect(
      shard({ ...slurm, SLURM_ARRAY_TASK_STEP: '', SLURM_ARRAY_TASK_ID: '3', SLURM_ARRAY_TASK_MAX: '5' }),
    ).toEqual(['3/5', 'slurm']);
  });

  it('says in the description which engine and variables it used', () => {
    expect(
      shardFromEnvironment({ JOB_COMPLETION_INDEX: '1', EOU_SHARD_COUNT: '4', HOME: '/x' }).description,
    ).toBe('Kubernetes Indexed Job (JOB_COMPLETION_INDEX=1, EOU_SHARD_COUNT=4)');
  });

  it('EXPECTED FAILURE - names the variable that is missing, malformed, out of range or ambiguous', () => {
    expect(failure({})[1]).toMatch(
      /no shard variables found \(looked for JOB_COMPLETION_INDEX, SLURM_ARRAY_TASK_ID/,
    );
    expect(failure({ JOB_COMPLETION_INDEX: '2' })).toEqual([
      'EOU_SHARD_COUNT',
      "--shard auto: EOU_SHARD_COUNT is not set (Kubernetes sets no count: set it to the Job's completions)",
    ]);
    expect(failure({ AWS_BATCH_JOB_ARRAY_INDEX: '4', AWS_BATCH_JOB_ARRAY_SIZE: '4' })).toEqual([
      'AWS_BATCH_JOB_ARRAY_INDEX',
      '--shard auto: AWS_BATCH_JOB_ARRAY_INDEX=4 is outside the 4 shard(s) the count gives',
    ]);
    expect(failure({ EOU_SHARD_INDEX: '0', EOU_SHARD_COUNT: '2' })[1]).toBe(
      "--shard auto: EOU_SHARD_INDEX must be an integer >= 1, got '0'",
    );
    expect(failure({ EOU_SHARD_INDEX: '1', EOU_SHARD_COUNT: 'x' })[0]).toBe('EOU_SHARD_COUNT');
    expect(failure({ JOB_COMPLETION_INDEX: '0', EOU_SHARD_COUNT: '2', SLURM_ARRAY_TASK_ID: '1' })[1]).toMatch(
      /variables of several engines are set \(JOB_COMPLETION_INDEX: Kubernetes Indexed Job; SLURM_ARRAY_TASK_ID: Slurm job array\)/,
    );
    // --array=1,3,7: three tasks that are not one stepped range.
    expect(
      failure({
        SLURM_ARRAY_TASK_ID: '3',
        SLURM_ARRAY_TASK_MIN: '1',
        SLURM_ARRAY_TASK_MAX: '7',
        SLURM_ARRAY_TASK_COUNT: '3',
      })[1],
    ).toMatch(/not one evenly stepped range .*submit it as --array=0-2/);
  });
});

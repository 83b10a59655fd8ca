import { describe, expect, it } from 'vitest';
import { BenchError } from './benchError';
import { interleave, type Arm } from './interleave';

function loggingArm(name: string, log: string[], extra: Partial<Arm> = {}): Arm {
  return { name, run: () => void log.push(name), ...extra };
}

describe('interleave', () => {
  it('runs rounds in rotating order (ABC, BCA, CAB) after one untimed probe round', async () => {
    const log: string[] = [];
    const suite = await interleave({
      minSampleNs: 0,
      name: 'order',
      arms: [loggingArm('A', log), loggingArm('B', log), loggingArm('C', log)],
      warmup: 0,
      rounds: 4,
    });
    // the probe is round -1, which continues the cycle backwards: CAB
    expect(log.join('')).toBe('CAB' + 'ABC' + 'BCA' + 'CAB' + 'ABC');
    expect(suite.order).toBe('rotating');
    expect(suite.arms.map((a) => a.samplesNs.length)).toEqual([4, 4, 4]);
  });

  it('runs a Williams design with order: balanced', async () => {
    const log: string[] = [];
    const suite = await interleave({
      minSampleNs: 0,
      name: 'balanced',
      arms: [loggingArm('A', log), loggingArm('B', log), loggingArm('C', log)],
      warmup: 0,
      rounds: 6,
      order: 'balanced',
    });
    expect(suite.order).toBe('balanced');
    // probe = round -1 = row 5; no arm follows itself, across rounds included
    expect(log.join('')).toBe('ACB' + 'ABC' + 'BCA' + 'CAB' + 'CBA' + 'BAC' + 'ACB');
  });

  it('warms up each arm in the same rotation, untimed, then times every arm once per round', async () => {
    const log: string[] = [];
    const suite = await interleave({
      minSampleNs: 0,
      name: 'w',
      arms: [loggingArm('A', log), loggingArm('B', log)],
      warmup: 3,
      rounds: 2,
    });
    expect(log.join('')).toBe('BA' + 'AB' + 'BA' + 'AB' + 'BA'); // warm-up rounds -3, -2, -1, then 0, 1
    expect(suite).toMatchObject({ warmup: 3, rounds: 2, iterationsPerSample: 1, unit: 'iteration' });
  });

  it('passes the round to run: negative in warm-up, the same for every arm of a round', async () => {
    const seen: string[] = [];
    await interleave({
      minSampleNs: 0,
      name: 'rounds',
      arms: [
        { name: 'A', run: (r) => void seen.push(`A${r}`) },
        { name: 'B', run: (r) => void seen.push(`B${r}`) },
      ],
      warmup: 2,
      rounds: 2,
    });
    expect(seen).toEqual(['A-2', 'B-2', 'B-1', 'A-1', 'A0', 'B0', 'B1', 'A1']);
  });

  it('sets each arm up once before any run and tears it down once after the last', async () => {
    const log: string[] = [];
    await interleave({
      minSampleNs: 0,
      name: 'life',
      arms: [
        loggingArm('A', log, {
          setup: async () => void log.push('setupA'),
          teardown: () => void log.push('teardownA'),
        }),
        loggingArm('B', log, {
          setup: () => void log.push('setupB'),
          teardown: async () => void log.push('teardownB'),
        }),
      ],
      warmup: 1,
      rounds: 1,
    });
    expect(log).toEqual(['setupA', 'setupB', 'B', 'A', 'A', 'B', 'teardownB', 'teardownA']);
  });

  it('calls run iterationsPerSample times per sample and divides the time by it', async () => {
    let calls = 0;
    const suite = await interleave({
      minSampleNs: 0,
      name: 'ips',
      arms: [{ name: 'count', run: () => calls++ }],
      warmup: 2,
      rounds: 5,
      iterationsPerSample: 4,
      unit: 'step',
    });
    expect(calls).toBe((2 + 5) * 4);
    expect(suite.arms[0]!.samplesNs).toHaveLength(5);
    expect(suite.arms[0]!.ratio).toBeNull();
  });

  it('lets an arm take its own number of calls per sample', async () => {
    const calls = { a: 0, b: 0 };
    const suite = await interleave({
      minSampleNs: 0,
      name: 'per-arm',
      arms: [
        { name: 'a', run: () => calls.a++, iterationsPerSample: 3 },
        { name: 'b', run: () => calls.b++ },
      ],
      warmup: 1,
      rounds: 4,
      iterationsPerSample: 2,
    });
    expect(calls).toEqual({ a: 5 * 3, b: 5 * 2 });
    expect(suite.arms.map((a) => a.iterationsPerSample)).toEqual([3, 2]);
  });

  it('measures the timer floor and subtracts it unless told not to', async () => {
    const arms = [{ name: 'empty', run: () => undefined }];
    const on = await interleave({ minSampleNs: 0, name: 'floor', arms, warmup: 1, rounds: 50 });
    const off = await interleave({
      minSampleNs: 0,
      name: 'floor',
      arms,
      warmup: 1,
      rounds: 50,
      subtractTimerFloor: false,
    });
    expect(on.timerFloorSubtracted).toBe(true);
    expect(off.timerFloorSubtracted).toBe(false);
    expect(on.timerFloorNs).toBeGreaterThan(0);
    expect(Math.min(...on.arms[0]!.samplesNs)).toBeGreaterThanOrEqual(0);
    expect(off.arms[0]!.summary.median).toBeGreaterThan(0);
  });

  it('tells sync from async arms and awaits only the async ones', async () => {
    let resolved = 0;
    const suite = await interleave({
      minSampleNs: 0,
      name: 'kinds',
      arms: [
        { name: 'sync', run: () => 1 },
        {
          name: 'async',
          run: async () => {
            await new Promise((r) => setImmediate(r));
            resolved++;
            return 1;
          },
        },
      ],
      warmup: 1,
      rounds: 3,
      compareOutputs: true,
    });
    expect(suite.arms.map((a) => a.kind)).toEqual(['sync', 'async']);
    expect(resolved).toBe(4);
    expect(suite.mismatches.count).toBe(0);
  });

  it('reports every output mismatch with its round and path, and keeps timing', async () => {
    let call = 0;
    const suite = await interleave({
      minSampleNs: 0,
      name: 'mismatch',
      arms: [
        { name: 'ref', run: () => [1, 2, 3] },
        { name: 'lean', run: () => (call++ === 3 ? [1, 9, 3] : [1, 2, 3]) }, // call 0 is warm-up: round 2 differs
        { name: 'topk', run: () => [0], compare: false },
      ],
      warmup: 1,
      rounds: 5,
      compareOutputs: true,
    });
    expect(suite.mismatches).toEqual({
      count: 1,
      first: [{ round: 2, arm: 'lean', reference: 'ref', path: '$[1]' }],
    });
    expect(suite.arms.map((a) => a.mismatches)).toEqual([0, 1, 0]);
    expect(suite.arms[1]!.samplesNs).toHaveLength(5);
  });

  it('compares outputs with the arm named by compareTo, ratios still against the first arm', async () => {
    const suite = await interleave({
      minSampleNs: 0,
      name: 'compare-to',
      arms: [
        { name: 'lean', run: () => [1, 9] },
        { name: 'ref', run: () => [1, 2] },
        { name: 'cached', run: () => [1, 2] },
      ],
      warmup: 0,
      rounds: 3,
      compareOutputs: true,
      compareTo: 'ref',
    });
    expect(suite.arms.map((a) => a.mismatches)).toEqual([3, 0, 0]);
    expect(suite.mismatches.first[0]).toMatchObject({ arm: 'lean', reference: 'ref', path: '$[1]' });
    expect(suite.arms[0]!.ratio).toBeNull();
    expect(suite.arms[1]!.ratio).not.toBeNull();
  });

  it('BAD CALL - compareTo must name a comparing arm', async () => {
    const arms = [
      { name: 'a', run: () => 0 },
      { name: 'b', run: () => 0, compare: false },
    ];
    for (const compareTo of ['c', 'b'])
      await expect(interleave({ name: 'x', arms, compareOutputs: true, compareTo })).rejects.toThrow(
        `\`options.compareTo\` must name a comparing arm (a), got "${compareTo}"`,
      );
  });

  it('gives ratio estimates against the first arm and summaries in nanoseconds', async () => {
    const suite = await interleave({
      minSampleNs: 0,
      name: 'ratio',
      arms: [
        { name: 'a', run: () => 0 },
        { name: 'b', run: () => 0 },
      ],
      warmup: 1,
      rounds: 20,
      bootstrap: { resamples: 100, seed: 3 },
    });
    const b = suite.arms[1]!;
    expect(b.ratio).toMatchObject({ resamples: 100, seed: 3, confidence: 0.95 });
    expect(b.ratio!.ciLow).toBeLessThanOrEqual(b.ratio!.ciHigh);
    expect(b.summary.n).toBe(20);
    expect(b.summary.min).toBeGreaterThanOrEqual(0);
    expect(suite.memory.maxRssBytes).toBeGreaterThan(1e6);
    expect(suite.memory.rssPeakSampledBytes).toBeGreaterThanOrEqual(suite.memory.rssStartBytes);
  });

  it('EXPECTED FAILURE - wraps an arm that throws with its phase and round, and still tears down', async () => {
    const log: string[] = [];
    let calls = 0;
    const error = await interleave({
      minSampleNs: 0,
      name: 'boom',
      arms: [
        loggingArm('ok', log, { teardown: () => void log.push('teardown ok') }),
        {
          name: 'bad',
          run: () => {
            if (++calls === 3) throw new Error('tensor h_in has shape [1,2]');
          },
          teardown: () => void log.push('teardown bad'),
        },
      ],
      warmup: 1,
      rounds: 5,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BenchError);
    expect(error).toMatchObject({ name: 'BenchError', code: 'E_ARM', arm: 'bad', phase: 'timed', round: 1 });
    expect((error as Error).message).toBe('arm "bad" failed in timed round 1: tensor h_in has shape [1,2]');
    expect(log.slice(-2)).toEqual(['teardown bad', 'teardown ok']);
  });

  it('EXPECTED FAILURE - reports a setup failure and tears down only the arms already set up', async () => {
    const log: string[] = [];
    const error = await interleave({
      minSampleNs: 0,
      name: 'setup',
      arms: [
        loggingArm('A', log, { teardown: () => void log.push('teardownA') }),
        loggingArm('B', log, {
          setup: () => {
            throw new Error('model.onnx missing');
          },
          teardown: () => void log.push('teardownB'),
        }),
      ],
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'E_ARM',
      arm: 'B',
      phase: 'setup',
      message: 'arm "B" failed in setup: model.onnx missing',
    });
    expect(log).toEqual(['teardownA']);
  });

  it('EXPECTED FAILURE - refuses an arm that turns from sync to async', async () => {
    let calls = 0;
    const error = await interleave({
      minSampleNs: 0,
      name: 'kind',
      arms: [{ name: 'flip', run: () => (calls++ < 2 ? 1 : Promise.resolve(1)) }],
      warmup: 1,
      rounds: 3,
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      name: 'BenchError',
      code: 'E_ARM_KIND',
      arm: 'flip',
      phase: 'timed',
      round: 1,
      message:
        'arm "flip" returned a promise in timed round 1 but not on its first call; make run() always sync or always async',
    });
    calls = 0;
    const early = await interleave({
      minSampleNs: 0,
      name: 'kind',
      arms: [{ name: 'flip', run: () => (calls++ < 1 ? 1 : Promise.reject(new Error('x'))) }],
      warmup: 3,
      rounds: 3,
    }).catch((e: unknown) => e);
    expect(early).toMatchObject({ code: 'E_ARM_KIND', phase: 'warmup', round: 1 });
  });

  it('BAD CALL - rejects empty arms, duplicate names and non-integer counts', async () => {
    await expect(interleave({ minSampleNs: 0, name: 'x', arms: [] })).rejects.toThrow(
      '`options.arms` must hold at least one arm',
    );
    await expect(
      interleave({
        minSampleNs: 0,
        name: 'x',
        arms: [
          { name: 'a', run: () => 0 },
          { name: 'a', run: () => 0 },
        ],
      }),
    ).rejects.toThrow('`options.arms[1].name` "a" is used twice');
    await expect(
      interleave({ minSampleNs: 0, name: 'x', arms: [{ name: 'a', run: () => 0 }], rounds: 0 }),
    ).rejects.toThrow('`options.rounds` must be an integer >= 1, got 0');
    await expect(
      interleave({
        minSampleNs: 0,
        name: 'x',
        arms: [{ name: 'a', run: () => 0 }],
        iterationsPerSample: 1.5,
      }),
    ).rejects.toThrow(RangeError);
  });
});

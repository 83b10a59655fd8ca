import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixturesRoot, sharedFixture } from './sharedFixture';

describe('sharedFixture', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'eou-fixtures-'));
  fs.mkdirSync(path.join(root, 'model'));
  fs.writeFileSync(path.join(root, 'model', 'a.onnx'), 'x');

  it('finds a fixture under EOU_SHARED_FIXTURES', () => {
    const env = { EOU_SHARED_FIXTURES: root };
    expect(fixturesRoot(env)).toBe(root);
    expect(sharedFixture('model/a.onnx', { env })).toBe(path.join(root, 'model', 'a.onnx'));
  });

  it('returns undefined and says why when the fixture is absent outside CI', () => {
    const messages: string[] = [];
    const found = sharedFixture('model/missing.onnx', {
      env: { EOU_SHARED_FIXTURES: root },
      warn: (m) => messages.push(m),
    });
    expect(found).toBeUndefined();
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/skipping tests: shared fixture model\/missing\.onnx is absent/);
  });

  it('EXPECTED FAILURE - throws under CI=true when the fixture is absent', () => {
    expect(() =>
      sharedFixture('model/missing.onnx', { env: { EOU_SHARED_FIXTURES: root, CI: 'true' } }),
    ).toThrow(/CI must have it/);
  });

  it('defaults to shared/fixtures beside the repository', () => {
    expect(fixturesRoot({})).toMatch(/[/\\]shared[/\\]fixtures$/);
  });
});

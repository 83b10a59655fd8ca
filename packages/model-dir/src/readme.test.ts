import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runReadmeExample } from '@eou/test-support';
import { describe, expect, it } from 'vitest';

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

describe('README', () => {
  it('has an example that runs and prints what the README says', async () => {
    const run = await runReadmeExample(packageDir);
    expect(run.expected).toBeDefined();
    expect(run.output).toBe(run.expected);
  });
});

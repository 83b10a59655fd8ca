import { describe, expect, it } from 'vitest';
import pkg from '../package.json' with { type: 'json' };
import { version } from './index';

describe('version', () => {
  it('is the package.json version', () => {
    expect(version).toBe(pkg.version);
    expect(version).toMatch(/^\d+\.\d+\.\d+/);
  });
});

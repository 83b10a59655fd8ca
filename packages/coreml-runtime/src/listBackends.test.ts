import { describe, expect, it } from 'vitest';
import { loadBinding } from './binding';
import { listBackends } from './listBackends';

describe(listBackends, () => {
  it('lists the portable layer everywhere and CoreML exactly on macOS', () => {
    expect(listBackends()).toEqual(process.platform === 'darwin' ? ['portable', 'coreml'] : ['portable']);
  });

  it('matches whether the addon exports the CoreML session class', () => {
    expect(listBackends().includes('coreml')).toBe(typeof loadBinding().CoreMLSession === 'function');
  });
});

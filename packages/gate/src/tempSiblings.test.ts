import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { materialize, removeStaleTemps, tempSibling } from './tempSiblings';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'eou-temps-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
const complete = (d: string) => fs.existsSync(path.join(d, 'done'));

describe(materialize, () => {
  it('fills a temp sibling and renames it into place, once', async () => {
    const target = path.join(root, 'a');
    let fills = 0;
    const fill = (tmp: string) => {
      fills += 1;
      expect(tmp).toBe(tempSibling(target));
      fs.writeFileSync(path.join(tmp, 'done'), 'x');
    };
    expect(await materialize(target, complete, fill)).toBe(true);
    expect(await materialize(target, complete, fill)).toBe(false);
    expect(fills).toBe(1);
    expect(fs.readdirSync(root)).toEqual(['a']);
  });

  it('EXPECTED FAILURE - removes its temp directory when filling throws', async () => {
    const target = path.join(root, 'b');
    const error = await materialize(target, complete, (tmp) => {
      fs.writeFileSync(path.join(tmp, 'half'), 'x');
      throw new Error('disk full');
    }).catch((e: unknown) => e);
    expect((error as Error).message).toBe('disk full');
    expect(fs.existsSync(tempSibling(target))).toBe(false);
    expect(fs.existsSync(target)).toBe(false);
  });

  it('leaves a temp directory behind when SIGKILLed mid-fill, which the next run removes', async () => {
    const target = path.join(root, 'c');
    // .mts: an ES module wherever it is written (top-level await).
    const script = path.join(root, 'hang.mts');
    const module = fileURLToPath(new URL('./tempSiblings.ts', import.meta.url));
    fs.writeFileSync(
      script,
      `import { materialize } from ${JSON.stringify(module)};\n` +
        `await materialize(${JSON.stringify(target)}, () => false, () => { console.log('filling'); return new Promise(() => setInterval(() => {}, 1000)); });\n`,
    );
    // tsx in this process (not its CLI, which runs the script in a child of its own).
    const child = spawn(process.execPath, ['--import', 'tsx', script], {
      cwd: path.dirname(fileURLToPath(import.meta.url)),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      child.stdout.once('data', () => resolve());
      child.once('exit', (code) => reject(new Error(`the child exited (${code}) before it was killed`)));
    });
    const left = `${target}.tmp-${child.pid}`;
    expect(fs.existsSync(left)).toBe(true);
    // Still running: not touched.
    expect(removeStaleTemps(target)).toEqual([]);
    child.kill('SIGKILL');
    await new Promise((resolve) => child.on('exit', resolve));
    expect(fs.existsSync(left)).toBe(true);
    expect(await materialize(target, complete, (tmp) => fs.writeFileSync(path.join(tmp, 'done'), 'x'))).toBe(
      true,
    );
    expect(fs.existsSync(left)).toBe(false);
    expect(fs.readdirSync(root).filter((n) => n.startsWith('c'))).toEqual(['c']);
  });

  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    it(`EXPECTED FAILURE - removes its temp directory when ${signal} ends the process mid-fill`, async () => {
      // Before: the process ended at once and left <target>.tmp-<pid> (issue 19, defect 13).
      const target = path.join(root, `sig-${signal}`);
      const script = path.join(root, `hang-${signal}.mts`);
      const module = fileURLToPath(new URL('./tempSiblings.ts', import.meta.url));
      fs.writeFileSync(
        script,
        `import fs from 'node:fs';\nimport { materialize } from ${JSON.stringify(module)};\n` +
          `await materialize(${JSON.stringify(target)}, () => false, (tmp) => { fs.writeFileSync(tmp + '/half', 'x'); console.log('filling'); return new Promise(() => setInterval(() => {}, 1000)); });\n`,
      );
      const child = spawn(process.execPath, ['--import', 'tsx', script], {
        cwd: path.dirname(fileURLToPath(import.meta.url)),
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      await new Promise<void>((resolve, reject) => {
        child.stdout.once('data', () => resolve());
        child.once('exit', (code) => reject(new Error(`the child exited (${code}) before the signal`)));
      });
      const left = `${target}.tmp-${child.pid}`;
      expect(fs.existsSync(path.join(left, 'half'))).toBe(true);
      const exited = new Promise<NodeJS.Signals | null>((resolve) =>
        child.once('exit', (_c, s) => resolve(s)),
      );
      child.kill(signal);
      // Still ended by the signal, as without the handler.
      expect(await exited).toBe(signal);
      expect(fs.existsSync(left)).toBe(false);
      expect(fs.readdirSync(root).filter((n) => n.startsWith(`sig-${signal}`))).toEqual([]);
    });
});

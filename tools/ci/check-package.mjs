#!/usr/bin/env node
// The `test:build` target of every publishable package (run from the package directory, after
// `build`): what a consumer would install must be right. It checks the packed tarball's file list
// (a LICENSE inside, no tests, test helpers or scratch output, the declared entry points present),
// then runs publint (strict) and arethetypeswrong on the same pack, and prints one summary line.
// Data packages (`"eou": {"dataPackage": true}` in package.json) may carry model files; no other
// package may.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const dir = process.cwd();
const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
const problems = [];

const packed = JSON.parse(
  execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: dir,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  }),
)[0];
const files = packed.files.map((f) => f.path);

const forbidden = [
  [/(^|\/)[^/]*\.test(-d)?\.ts$/, 'a test file'],
  [/(^|\/)[^/]*\.fixture\.ts$/, 'a test fixture'],
  [/(^|\/)test\//, 'a test helper folder'],
  [/(^|\/)(test-results|bench-results|coverage)\//, 'scratch output'],
  [/(^|\/)vitest\.config\.[cm]?[jt]s$/, 'test configuration'],
];
const dataPackage = pkg.eou?.dataPackage === true;
if (!dataPackage) forbidden.push([/\.(onnx|npy|mlmodelc|mlpackage|bin|wav|flac)$/, 'model or audio data']);
for (const file of files) {
  for (const [pattern, what] of forbidden) {
    if (pattern.test(file)) problems.push(`${file} is ${what} and must not be published`);
  }
}
if (!files.some((f) => /^LICEN[CS]E(\.md|\.txt)?$/i.test(f))) problems.push('no LICENSE file in the tarball');
const entryPoints = [pkg.main, pkg.module, pkg.types, ...Object.values(pkg.bin ?? {})].filter(Boolean);
for (const entry of entryPoints) {
  const rel = path.posix.normalize(entry);
  if (!files.includes(rel)) problems.push(`entry point ${entry} is not in the tarball (run the build first)`);
}

// The repository every package names: one URL, here and in README.md ("Repository").
const REPOSITORY = 'https://github.com/eou-toolkit/eou-toolkit';
const directory = path.relative(path.join(dir, '..', '..'), dir).split(path.sep).join('/');
const want = {
  repository: { type: 'git', url: `git+${REPOSITORY}.git`, directory },
  homepage: `${REPOSITORY}/tree/main/${directory}#readme`,
  bugs: { url: `${REPOSITORY}/issues` },
};
for (const [field, value] of Object.entries(want))
  if (JSON.stringify(pkg[field]) !== JSON.stringify(value))
    problems.push(`package.json ${field} must be ${JSON.stringify(value)}, got ${JSON.stringify(pkg[field])}`);
if (pkg.files?.includes('dist') && !pkg.scripts?.prepack && !/^tsup$/.test(pkg.scripts?.build ?? ''))
  problems.push('the build does more than tsup: add a prepack script so `npm pack` includes dist/');

const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { cwd: dir, encoding: 'utf8' });
  return { ok: r.status === 0, out: `${r.stdout ?? ''}${r.stderr ?? ''}`.trim() };
};
const bin = (name) => path.join(dir, '..', '..', 'node_modules', '.bin', name);
const publint = run(bin('publint'), ['--strict']);
if (!publint.ok) problems.push(`publint --strict failed:\n${publint.out}`);
const attw = run(bin('attw'), ['--pack', '.', '--format', 'ascii']);
if (!attw.ok) problems.push(`arethetypeswrong failed:\n${attw.out}`);

const kb = (packed.size / 1024).toFixed(1);
if (problems.length > 0) {
  console.error(`${pkg.name}: ${problems.length} packaging problem(s):`);
  for (const p of problems) console.error(`- ${p}`);
  process.exit(1);
}
console.log(`${pkg.name}: tarball ${kb} kB, ${files.length} files, LICENSE, publint and attw clean`);

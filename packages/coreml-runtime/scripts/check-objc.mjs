// Syntax- and type-checks src/native/coreml_session.mm on a machine without the macOS SDK:
// compiles it as Objective-C++ (ARC, blocks, C++17, no C++ exceptions, like binding.gyp) with
// clang against the stand-in Foundation/CoreML declarations in scripts/objc-check/, once for an
// old SDK (no macOS 12/13/15 symbols) and once for a macOS 15 SDK. It catches syntax, type, ARC
// and block-capture mistakes, not wrong API semantics: the macOS build stays the real check.
// Needs clang++ (any of clang++, clang++-14 … clang++-19); without it, it says so and exits 0.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const native = join(root, 'src', 'native');
const requireCjs = createRequire(import.meta.url);

const candidates = ['clang++', ...Array.from({ length: 6 }, (_, i) => `clang++-${19 - i}`)];
const clang = candidates.find((c) => spawnSync(c, ['--version']).status === 0);
if (!clang) {
  console.error('check-objc: no clang++ found; skipped (apt-get install clang to run it)');
  process.exit(0);
}

// The darwin-only code sits behind #ifdef __APPLE__; defining __APPLE__ would also switch the
// system headers to Apple paths, so the copies open the guard instead.
const work = mkdtempSync(join(tmpdir(), 'coreml-objc-'));
for (const name of readdirSync(native)) {
  if (!/\.(h|mm)$/.test(name)) continue;
  writeFileSync(
    join(work, name),
    readFileSync(join(native, name), 'utf8').replace(/^#ifdef __APPLE__$/gm, '#if 1'),
  );
}

const nodeInclude = spawnSync(process.execPath, [
  '-p',
  "require('path').join(process.execPath, '..', '..', 'include', 'node')",
])
  .stdout.toString()
  .trim();
const sdks = {
  'old SDK': [],
  'macOS 15 SDK': [
    '-D__MAC_12_0=120000',
    '-D__MAC_13_0=130000',
    '-D__MAC_15_0=150000',
    '-D__MAC_OS_X_VERSION_MAX_ALLOWED=150000',
  ],
};
let failed = false;
for (const [label, defines] of Object.entries(sdks)) {
  const result = spawnSync(
    clang,
    [
      '-fsyntax-only',
      '-x',
      'objective-c++',
      '-std=c++17',
      '-fobjc-arc',
      '-fblocks',
      '-fobjc-exceptions',
      '-fobjc-runtime=macosx-11.0',
      '-fno-exceptions',
      '-Wall',
      '-Wextra',
      '-Werror',
      '-Wno-unused-parameter',
      '-Wno-nullability-completeness',
      '-DNAPI_VERSION=8',
      '-DNAPI_DISABLE_CPP_EXCEPTIONS',
      ...defines,
      `-I${join(root, 'scripts', 'objc-check')}`,
      `-I${work}`,
      `-I${requireCjs('node-addon-api').include_dir}`,
      `-I${nodeInclude}`,
      '-I/usr/include/node',
      join(work, 'coreml_session.mm'),
    ],
    { stdio: 'inherit' },
  );
  console.error(`check-objc: ${label}: ${result.status === 0 ? 'ok' : 'FAILED'} (${clang})`);
  failed ||= result.status !== 0;
}
rmSync(work, { recursive: true, force: true });
process.exit(failed ? 1 : 0);

// Runs scripts/native-smoke.mjs under a memory checker (Linux only):
//   npm run test:asan      rebuilds the addon with -fsanitize=address,undefined, runs the smoke
//                          script with libasan preloaded (LeakSanitizer on), then rebuilds the
//                          normal addon (an ASan build loads only with libasan preloaded).
//   npm run test:valgrind  runs the smoke script under valgrind memcheck on the current build.
// Always start it through npm: npm hands node-gyp the machine's nodedir, bare node-gyp would
// try to download Node headers.
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const mode = process.argv[2];

function run(command, args, env = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  if (result.error) console.error(`sanitize: cannot run ${command}: ${result.error.message}`);
  return result.status ?? 1;
}

function nodeGyp(env) {
  // npm exports the path of its bundled node-gyp; fall back to the one on PATH (node_modules/.bin).
  const bundled = process.env.npm_config_node_gyp;
  return bundled ? run(process.execPath, [bundled, 'rebuild'], env) : run('node-gyp', ['rebuild'], env);
}

if (process.platform !== 'linux') {
  console.error(`sanitize: ${mode} runs on Linux only (this is ${process.platform})`);
  process.exit(1);
}
if (!process.env.npm_lifecycle_event) {
  console.error(
    'sanitize: start this through npm (npm run test:asan or npm run test:valgrind) so node-gyp gets nodedir',
  );
  process.exit(2);
}

if (mode === 'asan') {
  const sanitizers = '-fsanitize=address,undefined -fno-sanitize-recover=undefined';
  let status = nodeGyp({ CXXFLAGS: `${sanitizers} -fno-omit-frame-pointer -g`, LDFLAGS: sanitizers });
  if (status === 0) {
    const libasan = execFileSync(process.env.CXX ?? 'g++', ['-print-file-name=libasan.so'])
      .toString()
      .trim();
    status = run(process.execPath, ['scripts/native-smoke.mjs'], {
      LD_PRELOAD: libasan,
      ASAN_OPTIONS: 'detect_leaks=1:halt_on_error=1:abort_on_error=0',
      UBSAN_OPTIONS: 'print_stacktrace=1',
    });
  }
  const restore = nodeGyp({ CXXFLAGS: '', LDFLAGS: '' });
  console.error(
    `sanitize: asan ${status === 0 ? 'clean' : 'FAILED'}; normal build restored: ${restore === 0 ? 'yes' : 'NO'}`,
  );
  process.exit(status || restore);
} else if (mode === 'valgrind') {
  const status = run(
    'valgrind',
    [
      '--error-exitcode=1',
      '--leak-check=full',
      '--show-leak-kinds=definite',
      '--errors-for-leak-kinds=definite',
      process.execPath,
      '--jitless', // V8's JIT code confuses memcheck; the addon's code paths are the same
      'scripts/native-smoke.mjs',
    ],
    { SMOKE_ROUNDS: process.env.SMOKE_ROUNDS ?? '3' },
  );
  console.error(`sanitize: valgrind ${status === 0 ? 'clean' : 'FAILED'}`);
  process.exit(status);
} else {
  console.error(`sanitize: unknown mode '${mode}'; use asan or valgrind`);
  process.exit(2);
}

// Exercises every portable native entry point, including its error paths, so the sanitizer runs
// (npm run test:asan / test:valgrind) see each allocation and copy. Exits 1 on a wrong result.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const requireCjs = createRequire(import.meta.url);
const addon = requireCjs('node-gyp-build')(fileURLToPath(new URL('..', import.meta.url)));

let failures = 0;
function check(ok, what) {
  if (!ok) {
    failures++;
    console.error(`smoke: FAILED ${what}`);
  }
}
function throws(fn, name, what) {
  try {
    fn();
    check(false, `${what} did not throw`);
  } catch (e) {
    check(e && e.name === name, `${what} threw ${e && e.name}, expected ${name}`);
  }
}

const rounds = Number(process.env.SMOKE_ROUNDS || 20);
for (let round = 0; round < rounds; round++) {
  // fp16 both ways over every half value, with and without caller-provided outputs.
  const halves = Uint16Array.from({ length: 65536 }, (_, i) => i);
  const floats = addon.halfToFloat(halves);
  const back = addon.floatToHalf(floats, new Uint16Array(65536));
  let same = true;
  for (let h = 0; h < 65536; h++) {
    const nan = (h & 0x7c00) === 0x7c00 && (h & 0x3ff) !== 0;
    if (back[h] !== (nan ? h | 0x200 : h)) same = false;
  }
  check(same, 'fp16 round trip');
  check(addon.halfToFloat(new Uint16Array(0)).length === 0, 'empty halfToFloat');
  // Views at an offset into a larger buffer (ByteOffset handling).
  const buffer = new ArrayBuffer(64);
  const view = new Float32Array(buffer, 8, 4);
  view.set([1, 2, 3, 4]);
  check(addon.floatToHalf(view)[3] === 0x4400, 'offset view');

  // Strided copies: an encoder column, rank 0, zero-size and padded layouts, every element size.
  const E = 64;
  const T = 50;
  const enc = Float32Array.from({ length: E * T }, (_, k) => k);
  for (let t = 0; t < T; t++) {
    const col = addon.stridedToDense(enc, [1, E, 1], [E * T, T, 1], t);
    check(col[E - 1] === (E - 1) * T + t, `column ${t}`);
  }
  check(addon.stridedToDense(Int32Array.of(9, 8), [], [], 1)[0] === 8, 'rank 0');
  check(addon.stridedToDense(new Float64Array(3), [0, 5], [5, 1], 0).length === 0, 'zero-size');
  for (const Kind of [Int8Array, Uint16Array, Float32Array, Float64Array, BigInt64Array]) {
    const padded = new Kind(2 * 3 * 8);
    const dense = new Kind(2 * 3 * 5);
    addon.denseToStrided(dense, [2, 3, 5], [24, 8, 1], 0, padded);
    check(addon.stridedToDense(padded, [2, 3, 5], [24, 8, 1], 0).length === 30, `${Kind.name} padded`);
  }

  // Error paths allocate message strings; they must not leak either.
  throws(() => addon.halfToFloat(new Float32Array(1)), 'TypeError', 'halfToFloat type');
  throws(
    () => addon.halfToFloat(new Uint16Array(2), new Float32Array(1)),
    'RangeError',
    'halfToFloat length',
  );
  throws(() => addon.stridedToDense(new Float32Array(4), [5], [1], 0), 'RangeError', 'out of bounds');
  throws(() => addon.stridedToDense(new Float32Array(4), [4097], [2 ** 53 - 1], 0), 'RangeError', 'overflow');
  throws(() => addon.stridedToDense(new Float32Array(4), [2, 'x'], [1, 1], 0), 'TypeError', 'dim type');
  throws(
    () => addon.denseToStrided(new Float32Array(3), [4], [1], 0, new Float32Array(4)),
    'RangeError',
    'dense length',
  );
  throws(() => addon.parseSessionOptions({ computeUnits: 'gpu' }), 'RangeError', 'computeUnits');
  throws(() => addon.parseSessionOptions({ nope: 1 }), 'TypeError', 'unknown key');
  check(
    addon.parseSessionOptions({ computeUnits: 'cpuOnly', functionName: 'main' }).functionName === 'main',
    'options',
  );
  check(addon.listBackends()[0] === 'portable', 'listBackends');

  // The feed/output check of CoreMLSession.run.
  const hIn = { name: 'h_in', dtype: 'float32', shape: [1, 1, 640] };
  check(
    addon.checkTensor(
      { dtype: 'float32', dims: [1, 1, 640], data: new Float32Array(640) },
      hIn,
      'feeds.h_in',
    ) === 640,
    'checkTensor',
  );
  throws(
    () =>
      addon.checkTensor(
        { dtype: 'float32', dims: [1, 1, 64], data: new Float32Array(64) },
        hIn,
        'feeds.h_in',
      ),
    'RangeError',
    'checkTensor dims',
  );
  throws(
    () =>
      addon.checkTensor(
        { dtype: 'float16', dims: [1, 1, 640], data: new Uint16Array(640) },
        hIn,
        'feeds.h_in',
      ),
    'TypeError',
    'checkTensor dtype',
  );
  throws(
    () =>
      addon.checkTensor(
        { dtype: 'float32', dims: [1, 1, 640], data: new Float32Array(1) },
        hIn,
        'feeds.h_in',
      ),
    'RangeError',
    'checkTensor length',
  );
}

if (failures > 0) {
  console.error(`smoke: ${failures} failures`);
  process.exit(1);
}
console.error(`smoke: ok (${rounds} rounds)`);

/**
 * Test-only child process: opens a model, runs it with `x` = [1, 2, 3] and prints the error's
 * message, so the test can see everything ONNX Runtime itself writes to stderr.
 */
import { openOnnxSession } from '../src/index';

const [file, callPath] = process.argv.slice(2) as [string, 'sync' | 'async'];
const s = await openOnnxSession(file, { callPath });
try {
  await s.run({ x: { dtype: 'float32', dims: [3], data: Float32Array.of(1, 2, 3) } });
} catch (e) {
  process.stdout.write(`${(e as Error).message}\n`);
}
await s.close();

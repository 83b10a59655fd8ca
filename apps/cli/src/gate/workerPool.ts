/**
 * A small pool of worker threads that each own their model sessions and decode one file at a
 * time. ONNX Runtime's `run` blocks its thread, so concurrency needs threads, not promises.
 * Results come back in completion order; the caller orders them for reports.
 */
import { Worker } from 'node:worker_threads';

export interface PoolTask {
  readonly index: number;
  readonly id: string;
  readonly framesPath: string;
}

export type WorkerReply<R> =
  | { readonly kind: 'ready' }
  | { readonly kind: 'result'; readonly index: number; readonly result: R }
  | { readonly kind: 'fatal'; readonly message: string };

/** A worker could not start (e.g. a model failed to load): the run cannot go on. */
export class WorkerInitError extends Error {
  override readonly name = 'WorkerInitError';
}

export interface PoolOptions<I> {
  readonly workerUrl: URL;
  readonly workers: number;
  readonly init: I;
}

/**
 * Runs `tasks` on `workers` threads. `onResult` is called on the main thread as each finishes.
 * A worker that fails to initialise rejects the whole run (a model problem, not a file problem).
 */
export async function runPool<I, R>(
  tasks: readonly PoolTask[],
  options: PoolOptions<I>,
  onResult: (task: PoolTask, result: R) => void,
): Promise<void> {
  if (tasks.length === 0) return;
  const queue = [...tasks];
  const byIndex = new Map(tasks.map((t) => [t.index, t]));
  const count = Math.max(1, Math.min(options.workers, tasks.length));
  const workers: Worker[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      let active = count;
      let failed = false;
      const fail = (error: Error) => {
        if (failed) return;
        failed = true;
        reject(error);
      };
      const feed = (worker: Worker) => {
        const next = queue.shift();
        if (next) worker.postMessage(next);
        else {
          active -= 1;
          if (active === 0) resolve();
        }
      };
      for (let i = 0; i < count; i++) {
        const worker = new Worker(options.workerUrl, { workerData: options.init });
        workers.push(worker);
        worker.on('message', (reply: WorkerReply<R>) => {
          if (failed) return;
          if (reply.kind === 'fatal') return fail(new WorkerInitError(reply.message));
          if (reply.kind === 'result') {
            const task = byIndex.get(reply.index);
            if (task) {
              try {
                onResult(task, reply.result);
              } catch (error) {
                return fail(error instanceof Error ? error : new Error(String(error)));
              }
            }
          }
          feed(worker);
        });
        worker.on('error', (error) => fail(error));
        worker.on('exit', (code) => {
          if (code !== 0) fail(new Error(`decode worker exited with code ${code}`));
        });
      }
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

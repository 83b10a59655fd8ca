/**
 * A small pool of worker threads that each own their model sessions and decode one file at a
 * time. ONNX Runtime's `run` blocks its thread, so concurrency needs threads, not promises.
 * Results come back in completion order; the caller orders them for reports.
 */
import { Worker } from 'node:worker_threads';
import type { ChunkLayout } from './chunkLayout';
import type { WorkerEntry } from './decodeWorkerEntry';
import { GateError } from './gateError';

/** One file for a worker. */
export interface PoolTask {
  readonly index: number;
  readonly id: string;
  readonly framesPath: string;
  /** The stream's chunking, when the file is decoded in chunks. */
  readonly layout?: ChunkLayout;
  /** The file's audio duration (its manifest's `duration`), for a derived chunking. */
  readonly durationSec?: number;
  /** A group of files decoded together in lock step (batched mode); the reply holds one result per file. */
  readonly files?: readonly string[];
}

/** What a worker posts back. */
export type WorkerReply<R> =
  | { readonly kind: 'ready' }
  | { readonly kind: 'result'; readonly index: number; readonly result: R }
  | { readonly kind: 'fatal'; readonly message: string };

/** What {@link runPool} starts: the entry, how many threads and what each thread is given. */
export interface PoolOptions<I> {
  readonly entry: WorkerEntry;
  readonly workers: number;
  readonly init: I;
}

/**
 * Runs `tasks` on `workers` threads. `onResult` is called on the main thread as each finishes.
 * A worker that fails to initialise rejects the whole run with a `GateError` `E_BAD_MODEL` (a model
 * problem, not a file problem). After a failure (also one thrown by `onResult`, such as a full disk)
 * no task is handed out, and the workers are terminated only once none is inside a native call:
 * terminating a thread mid-`run` aborted the process (`terminate called after throwing an instance
 * of 'Napi::Error'`, exit 134).
 *
 * @returns the threads started (at most one per task).
 */
export async function runPool<I, R>(
  tasks: readonly PoolTask[],
  options: PoolOptions<I>,
  onResult: (task: PoolTask, result: R) => void,
): Promise<number> {
  if (tasks.length === 0) return 0;
  const queue = [...tasks];
  const byIndex = new Map(tasks.map((t) => [t.index, t]));
  const count = Math.max(1, Math.min(options.workers, tasks.length));
  const workers: Worker[] = [];
  let failure: Error | undefined;
  // Set before the workers are terminated: their exits (code 1) are ours, not failures.
  let ending = false;
  try {
    await new Promise<void>((resolve) => {
      let active = count;
      // Workers with a message of ours unanswered: starting (sessions being created) or decoding.
      const busy = new Set<Worker>();
      const settleIfIdle = () => {
        if (failure !== undefined && busy.size === 0) resolve();
      };
      const fail = (error: Error) => {
        if (ending) return;
        failure ??= error;
        settleIfIdle();
      };
      const feed = (worker: Worker) => {
        const next = failure === undefined ? queue.shift() : undefined;
        if (next) {
          busy.add(worker);
          worker.postMessage(next);
        } else if (failure === undefined) {
          active -= 1;
          if (active === 0) resolve();
        }
      };
      for (let i = 0; i < count; i++) {
        const worker = new Worker(options.entry.filename, {
          eval: options.entry.eval,
          // Without its own flags a worker inherits the process's, as Node does by default.
          ...(options.entry.execArgv.length ? { execArgv: [...options.entry.execArgv] } : {}),
          workerData: options.init,
        });
        workers.push(worker);
        busy.add(worker);
        worker.on('message', (reply: WorkerReply<R>) => {
          busy.delete(worker);
          if (failure !== undefined) return settleIfIdle();
          // A worker that cannot start (its model failed to load) or decode ends the run: a model problem.
          if (reply.kind === 'fatal')
            return fail(new GateError('E_BAD_MODEL', reply.message.split('\n')[0]!));
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
        worker.on('error', (error) => {
          busy.delete(worker);
          fail(error);
        });
        worker.on('exit', (code) => {
          busy.delete(worker);
          if (code !== 0) fail(new Error(`decode worker exited with code ${code}`));
          settleIfIdle();
        });
      }
    });
  } finally {
    ending = true;
    await Promise.all(workers.map((w) => w.terminate()));
  }
  if (failure !== undefined) throw failure;
  return count;
}

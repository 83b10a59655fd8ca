/** Worker-thread entry: owns a FileDecoder (or a batched one) and answers one task at a time (see workerPool.ts). */
import { parentPort, workerData } from 'node:worker_threads';
import { createBatchFileDecoder, type BatchFileDecoderInit } from './batchFileDecoder';
import { createFileDecoder, type DecodedFile, type FileDecoderInit } from './fileDecoder';
import type { PoolTask, WorkerReply } from './workerPool';

const port = parentPort!;
const fatal = (error: unknown): WorkerReply<DecodedFile> => ({
  kind: 'fatal',
  message: error instanceof Error ? error.message : String(error),
});
const reply = (index: number, result: DecodedFile | DecodedFile[]) =>
  port.postMessage({ kind: 'result', index, result } satisfies WorkerReply<DecodedFile | DecodedFile[]>);

const data = workerData as FileDecoderInit | { batch: BatchFileDecoderInit };
if ('batch' in data) {
  createBatchFileDecoder(data.batch).then(
    (decoder) => {
      port.on('message', (task: PoolTask) => {
        decoder.decodeFiles(task.files ?? [task.framesPath]).then(
          (results) => reply(task.index, results),
          (error: unknown) => port.postMessage(fatal(error)),
        );
      });
      port.postMessage({ kind: 'ready' } satisfies WorkerReply<DecodedFile>);
    },
    (error: unknown) => port.postMessage(fatal(error)),
  );
} else {
  createFileDecoder(data).then(
    (decoder) => {
      port.on('message', (task: PoolTask) => {
        decoder.decodeFile(task.framesPath, task.layout, task.durationSec).then(
          (result) => reply(task.index, result),
          (error: unknown) => port.postMessage(fatal(error)),
        );
      });
      port.postMessage({ kind: 'ready' } satisfies WorkerReply<DecodedFile>);
    },
    (error: unknown) => port.postMessage(fatal(error)),
  );
}

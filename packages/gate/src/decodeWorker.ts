/** Worker-thread entry: owns a FileDecoder and answers one task at a time (see workerPool.ts). */
import { parentPort, workerData } from 'node:worker_threads';
import { createFileDecoder, type DecodedFile, type FileDecoderInit } from './fileDecoder';
import type { PoolTask, WorkerReply } from './workerPool';

const port = parentPort!;
const fatal = (error: unknown): WorkerReply<DecodedFile> => ({
  kind: 'fatal',
  message: error instanceof Error ? error.message : String(error),
});

createFileDecoder(workerData as FileDecoderInit).then(
  (decoder) => {
    port.on('message', (task: PoolTask) => {
      decoder.decodeFile(task.framesPath, task.layout, task.durationSec).then(
        (result) =>
          port.postMessage({ kind: 'result', index: task.index, result } satisfies WorkerReply<DecodedFile>),
        (error: unknown) => port.postMessage(fatal(error)),
      );
    });
    port.postMessage({ kind: 'ready' } satisfies WorkerReply<DecodedFile>);
  },
  (error: unknown) => port.postMessage(fatal(error)),
);

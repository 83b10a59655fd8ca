/**
 * Reads one cached-frames `.npy` for decoding, shared by the single-file and the batched decoders: a
 * file that cannot be read, has the wrong width or holds a non-finite value is a reason, never a throw.
 */
import fs from 'node:fs';
import { parseNpy } from '@eou/rnnt-decode';

/** A file's frames, or why it cannot be decoded. */
export type FramesFile =
  | { readonly ok: true; readonly data: Float32Array; readonly frameCount: number }
  | { readonly ok: false; readonly reason: string };

/** Reads `framesPath` as [N, encoderDim] finite float32 frames. */
export function readFramesFile(framesPath: string, encoderDim: number): FramesFile {
  try {
    const npy = parseNpy(new Uint8Array(fs.readFileSync(framesPath)), framesPath);
    const dims = npy.dims;
    if (dims.length !== 2 || dims[1] !== encoderDim) {
      return {
        ok: false,
        reason: `${framesPath}: frames must be [N,${encoderDim}], got [${dims.join(',')}]`,
      };
    }
    const data = npy.data;
    for (let i = 0; i < data.length; i++) {
      if (!Number.isFinite(data[i]!)) {
        return {
          ok: false,
          reason: `${framesPath}: non-finite value ${data[i]} at frame ${Math.floor(i / encoderDim)}`,
        };
      }
    }
    return { ok: true, data, frameCount: dims[0] };
  } catch (error) {
    return { ok: false, reason: readFailure(framesPath, error) };
  }
}

const READ_REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file',
  EISDIR: 'is a directory, expected a .npy file',
  EACCES: 'permission denied',
  ELOOP: 'too many levels of symbolic links',
  ENOTDIR: 'a parent of it is not a directory',
};

/** A reason naming the file: a failed `read` of a directory names no path (`EISDIR: illegal operation`). */
function readFailure(framesPath: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code === 'string' && Object.hasOwn(READ_REASONS, code))
    return `${framesPath}: ${READ_REASONS[code]}`;
  const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
  return message.includes(framesPath) ? message : `${framesPath}: ${message}`;
}

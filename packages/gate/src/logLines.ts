/**
 * The complete lines of a log file, read a chunk at a time: a results log of a large corpus is never
 * held whole (nor split into a second copy of itself) while its records are parsed.
 */
import fs from 'node:fs';

/** What {@link scanLines} saw: the complete lines and where they end. */
export interface LineScan {
  /** Complete lines visited (each ended by a newline). */
  readonly lines: number;
  /** Bytes up to and including the last newline visited. */
  readonly validBytes: number;
  /** Bytes after the last newline (a line torn by a kill mid-write); 0 when the scan was stopped. */
  readonly tornBytes: number;
}

const NEWLINE = 0x0a;

/**
 * Calls `visit` with each complete line of `file` (without its newline, decoded as UTF-8) and its
 * 1-based number, in order; `visit` returning `false` stops the scan there. A newline byte never
 * occurs inside a multi-byte UTF-8 sequence, so splitting the bytes splits the text.
 * @throws what reading the file throws, or what `visit` throws
 */
export function scanLines(
  file: string,
  visit: (line: string, number: number) => boolean | void,
  chunkBytes = 1 << 20,
): LineScan {
  const fd = fs.openSync(file, 'r');
  try {
    const chunk = Buffer.allocUnsafe(chunkBytes);
    // The start of a line that runs past the chunk (copied: the chunk is reused).
    let carry: Buffer[] = [];
    let carried = 0;
    let lines = 0;
    let validBytes = 0;
    for (;;) {
      const n = fs.readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      const data = chunk.subarray(0, n);
      let from = 0;
      for (let nl = data.indexOf(NEWLINE, from); nl !== -1; nl = data.indexOf(NEWLINE, from)) {
        const piece = data.subarray(from, nl);
        const line =
          carried === 0 ? piece.toString('utf8') : Buffer.concat([...carry, piece]).toString('utf8');
        validBytes += carried + piece.length + 1;
        carry = [];
        carried = 0;
        from = nl + 1;
        lines += 1;
        if (visit(line, lines) === false) return { lines, validBytes, tornBytes: 0 };
      }
      if (from < n) {
        carry.push(Buffer.from(data.subarray(from)));
        carried += n - from;
      }
    }
    return { lines, validBytes, tornBytes: carried };
  } finally {
    fs.closeSync(fd);
  }
}

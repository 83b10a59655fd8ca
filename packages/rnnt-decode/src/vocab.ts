/**
 * `vocab.json`: a JSON object mapping token ids (as strings) to SentencePiece pieces, `▁` (U+2581)
 * starting a word. Ids of events (EOU, EOB) and blank may be absent.
 */
import { describe } from './describeValue';
import { RnntDecodeError } from './rnntDecodeError';

/** Token id -> piece. */
export type Vocab = ReadonlyMap<number, string>;

/**
 * Parses `vocab.json` text. An array of pieces (index = id) is accepted too.
 * @param json the file's text
 * @param file its name, for error messages
 * @throws RnntDecodeError `E_VOCAB` naming the file and the offending key
 */
export function parseVocab(json: string, file: string): Vocab {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw new RnntDecodeError('E_VOCAB', `${file}: not valid JSON (${(error as Error).message})`, { file });
  }
  const vocab = new Map<number, string>();
  if (Array.isArray(value)) {
    value.forEach((piece: unknown, id) => {
      if (typeof piece !== 'string') {
        throw new RnntDecodeError(
          'E_VOCAB',
          `${file}: [${id}] must be a string piece, got ${describe(piece)}`,
          { file, field: `${id}` },
        );
      }
      vocab.set(id, piece);
    });
    return vocab;
  }
  if (typeof value !== 'object' || value === null) {
    throw new RnntDecodeError(
      'E_VOCAB',
      `${file}: expected an object mapping token ids to pieces, got ${describe(value)}`,
      { file },
    );
  }
  for (const [key, piece] of Object.entries(value)) {
    if (!/^(0|[1-9]\d{0,8})$/.test(key)) {
      throw new RnntDecodeError(
        'E_VOCAB',
        `${file}: key ${JSON.stringify(key)} is not a token id (a non-negative integer)`,
        {
          file,
          field: key,
        },
      );
    }
    if (typeof piece !== 'string') {
      throw new RnntDecodeError(
        'E_VOCAB',
        `${file}: "${key}" must be a string piece, got ${describe(piece)}`,
        { file, field: key },
      );
    }
    vocab.set(Number(key), piece);
  }
  return vocab;
}

/**
 * Parses a sherpa-onnx / icefall `tokens.txt`: one `piece id` per line (`<blk> 0`, `▁the 5`). The
 * id is the last field, so a piece may hold spaces.
 * @throws RnntDecodeError `E_VOCAB` naming the file and line
 */
export function parseTokensTxt(text: string, file: string): Vocab {
  const vocab = new Map<number, string>();
  const lines = text.split(/\r?\n/);
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    const cut = line.lastIndexOf(' ');
    const id = line.slice(cut + 1);
    if (cut <= 0 || !/^(0|[1-9]\d{0,8})$/.test(id)) {
      throw new RnntDecodeError(
        'E_VOCAB',
        `${file} line ${i + 1}: expected \`piece id\`, got ${JSON.stringify(line.slice(0, 60))}`,
        { file, field: `line ${i + 1}` },
      );
    }
    if (vocab.has(Number(id)))
      throw new RnntDecodeError('E_VOCAB', `${file} line ${i + 1}: id ${id} repeats`, {
        file,
        field: `line ${i + 1}`,
      });
    vocab.set(Number(id), line.slice(0, cut));
  });
  return vocab;
}

/** Parses a vocabulary file by its name: `*.txt` is a `tokens.txt`, anything else `vocab.json`. */
export function parseVocabFile(text: string, file: string): Vocab {
  return file.endsWith('.txt') ? parseTokensTxt(text, file) : parseVocab(text, file);
}

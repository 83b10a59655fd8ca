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

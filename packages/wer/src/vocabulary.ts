/**
 * Maps words (or characters) to dense integer ids over a vocabulary shared by references and
 * hypotheses, so the edit-distance kernels compare ints, never strings.
 */
export class Vocabulary {
  private readonly table = new Map<string, number>();

  /** Number of distinct words seen so far; ids are `0 .. size - 1`. */
  get size(): number {
    return this.table.size;
  }

  /** Id of `word`, assigning the next free id when it is new. */
  id(word: string): number {
    let id = this.table.get(word);
    if (id === undefined) {
      id = this.table.size;
      this.table.set(word, id);
    }
    return id;
  }

  /** Ids of `words`, in order. */
  ids(words: readonly string[]): Int32Array {
    const out = new Int32Array(words.length);
    for (let i = 0; i < words.length; i++) out[i] = this.id(words[i]!);
    return out;
  }
}

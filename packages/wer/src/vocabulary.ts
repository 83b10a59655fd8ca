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

  /** Ids of `words`, in order (a plain array: small typed arrays cost more to allocate). */
  ids(words: readonly string[]): number[] {
    const out: number[] = [];
    const table = this.table;
    for (let i = 0; i < words.length; i++) {
      const w = words[i]!;
      let id = table.get(w);
      if (id === undefined) {
        id = table.size;
        table.set(w, id);
      }
      out.push(id);
    }
    return out;
  }
}

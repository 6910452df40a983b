/** Splits each line of text into words: an async generator, so it may also await promises between words. */
export class Words {
  async *process(line: string): AsyncGenerator<string> {
    for (const word of line.split(/\s+/)) {
      if (word !== '') yield await Promise.resolve(word.toLowerCase());
    }
  }
}

/** Passes every item of `source` through, calling `see` on each first (to count or meter it). */
export async function* tap<T>(source: AsyncIterable<T>, see: (item: T) => void): AsyncGenerator<T> {
  for await (const item of source) {
    see(item);
    yield item;
  }
}

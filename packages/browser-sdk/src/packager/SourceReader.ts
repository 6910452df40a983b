/**
 * Where the packager reads module sources from: `fetch` in the browser, the file system in Node,
 * an in-memory map for the demo's editor. Locations are URLs so `../`, query strings and index
 * files resolve the same way in every environment.
 */
export interface SourceReader {
  /**
   * The text at `url`, or `undefined` when nothing is there. "Not there" must not throw: resolution
   * probes several candidates (`a.js`, then `a.ts`, then `a/index.ts`...) and takes the first that exists.
   */
  read(url: URL): Promise<string | undefined>;
  /**
   * The bytes at `url` (a WebAssembly binary a module loads), or `undefined` when nothing is there. A reader
   * without it cannot pack nodes that use `loadWasm`.
   */
  readBytes?(url: URL): Promise<Uint8Array | undefined>;
}

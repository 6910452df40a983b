import { ErrorCode, RemoteMediaError } from '@remotemedia/shared/errors';
import type { SourceReader } from './SourceReader.ts';
import { normalizeSourcePath, urlOfPath } from './packagePaths.ts';

/**
 * Root of in-memory sources. A special scheme (so `new URL` resolves `../` the same in every browser)
 * on a reserved `.invalid` host, so a location from this reader can never reach the network.
 */
export const MEMORY_SOURCE_ROOT = 'https://sources.invalid/';

/**
 * Serves a `{ path: source }` map (the demo's in-page editor) as if it were files under MEMORY_SOURCE_ROOT; a
 * value may also be bytes (a `.wasm` binary the sources load).
 */
export class MemorySourceReader implements SourceReader {
  readonly root = new URL(MEMORY_SOURCE_ROOT);
  readonly #sources = new Map<string, string | Uint8Array>();

  constructor(sources: Readonly<Record<string, string | Uint8Array>>) {
    for (const [key, source] of Object.entries(sources)) {
      if (typeof source !== 'string' && !(source instanceof Uint8Array)) {
        throw new RemoteMediaError(ErrorCode.InvalidInput, `Source of '${key}' must be a string (or bytes, for a .wasm file)`);
      }
      const path = normalizeSourcePath(key);
      if (this.#sources.has(path)) {
        throw new RemoteMediaError(ErrorCode.InvalidInput, `Two sources map to the same path '${path}'`);
      }
      this.#sources.set(path, source);
    }
  }

  /** URL of a source path, e.g. for the entry. */
  urlOf(path: string): URL {
    return urlOfPath(normalizeSourcePath(path), this.root);
  }

  async read(url: URL): Promise<string | undefined> {
    const found = this.#lookup(url);
    return typeof found === 'string' ? found : undefined;
  }

  async readBytes(url: URL): Promise<Uint8Array | undefined> {
    const found = this.#lookup(url);
    return found instanceof Uint8Array ? found : undefined;
  }

  #lookup(url: URL): string | Uint8Array | undefined {
    if (url.origin !== this.root.origin) return undefined;
    return this.#sources.get(decodeURIComponent(url.pathname.slice(1)));
  }
}

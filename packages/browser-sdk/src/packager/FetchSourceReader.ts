import { ErrorCode, RemoteMediaError } from '@remotemedia/shared/errors';
import type { SourceReader } from './SourceReader.ts';

export interface FetchSourceReaderOptions {
  /** Defaults to the global `fetch`. */
  fetch?: typeof globalThis.fetch;
  /** Extra request options (credentials, headers) for every read. */
  requestInit?: RequestInit;
}

/** Reads module sources over HTTP, e.g. from the dev server that serves the page. */
export class FetchSourceReader implements SourceReader {
  readonly #fetch: typeof globalThis.fetch;
  readonly #requestInit: RequestInit;

  constructor(options: FetchSourceReaderOptions = {}) {
    // Bound so a detached global `fetch` keeps its `this` (browsers throw "Illegal invocation" otherwise).
    this.#fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.#requestInit = options.requestInit ?? {};
  }

  async read(url: URL): Promise<string | undefined> {
    const response = await this.#get(url);
    if (response === undefined) return undefined;
    // Single-page dev servers answer unknown paths with the app's index.html; that is "not found" here.
    const contentType = response.headers.get('content-type') ?? '';
    if (contentType.includes('text/html') && !url.pathname.endsWith('.html')) {
      await response.body?.cancel();
      return undefined;
    }
    return response.text();
  }

  async readBytes(url: URL): Promise<Uint8Array | undefined> {
    const response = await this.#get(url);
    if (response === undefined) return undefined;
    if ((response.headers.get('content-type') ?? '').includes('text/html')) {
      await response.body?.cancel();
      return undefined;
    }
    return new Uint8Array(await response.arrayBuffer());
  }

  /** The response for `url`, or undefined for "not there"; other failures throw. */
  async #get(url: URL): Promise<Response | undefined> {
    let response: Response;
    try {
      response = await this.#fetch(url, this.#requestInit);
    } catch (error) {
      throw new RemoteMediaError(ErrorCode.ModuleNotFound, `Could not fetch ${url.href}: ${String(error)}`, {
        cause: error,
        retryable: true,
      });
    }
    if (response.status === 404 || response.status === 410) {
      await response.body?.cancel();
      return undefined;
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new RemoteMediaError(ErrorCode.ModuleNotFound, `Fetching ${url.href} failed: HTTP ${response.status}`, {
        retryable: response.status >= 500,
      });
    }
    return response;
  }
}

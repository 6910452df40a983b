import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { pipeline } from 'node:stream';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
  '.ts': 'text/javascript; charset=utf-8',
};

export interface StaticFilesOptions {
  /** URL path the directory is served under (`/sdk/`); other paths are not this directory's. Default `/`. */
  prefix?: string;
  /**
   * Public code other origins load (the SDK bundles): answered with `Access-Control-Allow-Origin: *`, which a
   * module script or a dynamic import from another origin needs. Never set for anything private.
   */
  anyOrigin?: boolean;
}

/** Serves files under one directory; `..`, absolute paths and symlinks out of it resolve to 404. */
export class StaticFiles {
  private readonly root: string;
  private readonly prefix: string;
  private readonly anyOrigin: boolean;

  constructor(root: string, options: StaticFilesOptions = {}) {
    this.root = normalize(root + sep);
    this.prefix = options.prefix ?? '/';
    this.anyOrigin = options.anyOrigin ?? false;
  }

  /** Returns false when there is no such file, so the caller can answer 404 or try something else. */
  async serve(request: IncomingMessage, response: ServerResponse, pathname: string): Promise<boolean> {
    if (!pathname.startsWith(this.prefix)) return false;
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname.slice(this.prefix.length - 1));
    } catch {
      return false;
    }
    if (decoded.includes('\0')) return false;
    const relative = decoded.endsWith('/') ? `${decoded}index.html` : decoded;
    const file = normalize(join(this.root, relative));
    if (!file.startsWith(this.root)) return false;
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) return false;
    response.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-length': info.size,
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
      ...(this.anyOrigin ? { 'access-control-allow-origin': '*' } : {}),
    });
    if (request.method === 'HEAD') {
      response.end();
      return true;
    }
    // pipeline, not pipe: a read error (the file vanished after stat) must end this response, not the process.
    pipeline(createReadStream(file), response, () => undefined);
    return true;
  }
}

import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { SourceReader } from '../../packager/SourceReader.ts';

/** Errors that mean "no file here", so resolution moves on to the next candidate. */
const MISSING = new Set(['ENOENT', 'ENOTDIR', 'EISDIR']);

/** Reads module sources from the file system (Node). Only file: URLs; anything else is "not found". */
export class FsSourceReader implements SourceReader {
  async read(url: URL): Promise<string | undefined> {
    if (url.protocol !== 'file:') return undefined;
    try {
      return await readFile(fileURLToPath(url), 'utf8');
    } catch (error) {
      if (MISSING.has((error as NodeJS.ErrnoException).code ?? '')) return undefined;
      throw error;
    }
  }

  async readBytes(url: URL): Promise<Uint8Array | undefined> {
    if (url.protocol !== 'file:') return undefined;
    try {
      return new Uint8Array(await readFile(fileURLToPath(url)));
    } catch (error) {
      if (MISSING.has((error as NodeJS.ErrnoException).code ?? '')) return undefined;
      throw error;
    }
  }
}

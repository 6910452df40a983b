import { readFile, writeFile } from 'node:fs/promises';
import { ErrorCode, RemoteMediaError } from '@remotemedia/shared';

/** Reads a whole file; a missing or unreadable file is INVALID_INPUT naming the path and the reason. */
export async function readBytes(path: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (error) {
    throw fileError('cannot read', path, error);
  }
}

export async function readText(path: string): Promise<string> {
  return new TextDecoder().decode(await readBytes(path));
}

export async function writeBytes(path: string, bytes: Uint8Array | string): Promise<void> {
  try {
    await writeFile(path, bytes);
  } catch (error) {
    throw fileError('cannot write', path, error);
  }
}

/** Node's fs messages repeat the syscall ("ENOENT: no such file or directory, open 'x'"); people want the reason. */
function fileError(verb: string, path: string, cause: unknown): RemoteMediaError {
  const code = (cause as { code?: unknown }).code;
  const reason =
    code === 'ENOENT'
      ? verb === 'cannot read'
        ? 'no such file'
        : 'its directory does not exist'
      : code === 'EACCES' || code === 'EPERM'
        ? 'permission denied'
        : code === 'EISDIR'
          ? 'it is a directory'
          : (cause as Error).message;
  return new RemoteMediaError(ErrorCode.InvalidInput, `${verb} ${path}: ${reason}`, { cause });
}

import { extname } from 'node:path';
import { ErrorCode, RemoteMediaError } from '@remotemedia/shared';

/** What `run` reads and writes: WAV audio, or a JSON array of data items. */
export type FileFormat = 'wav' | 'json';

const EXTENSIONS: Readonly<Record<string, FileFormat>> = { '.wav': 'wav', '.wave': 'wav', '.json': 'json' };

/** The format a path's extension names; anything else is INVALID_INPUT listing what is supported. */
export function fileFormatOf(path: string, role: 'input' | 'output'): FileFormat {
  const extension = extname(path).toLowerCase();
  const format = EXTENSIONS[extension];
  if (format === undefined) {
    const got = extension === '' ? 'no extension' : `"${extension}"`;
    throw new RemoteMediaError(
      ErrorCode.InvalidInput,
      `unsupported ${role} file ${path} (${got}): use .wav for audio or .json for an array of data items`,
    );
  }
  return format;
}

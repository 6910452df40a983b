import { readFileSync } from 'node:fs';
import { parseJsonText } from '@remotemedia/shared';

/**
 * Reads and parses the JSON config file. A problem comes back as one sentence naming the file and the fix: for
 * a missing file also the directory a relative path was taken from, for broken JSON the line and column.
 * `source` is where the path came from (`--config` or the environment variable), since that is what to change.
 */
export function readConfigFile(path: string, source: string): { value: unknown } | { problem: string } {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT')
      return { problem: `config file ${path} not found (current directory: ${process.cwd()}); check the path given to ${source}` };
    if (code === 'EISDIR') return { problem: `config file ${path} is a directory; ${source} takes the path of a JSON file` };
    if (code === 'EACCES' || code === 'EPERM') return { problem: `config file ${path} cannot be read: permission denied` };
    return { problem: `config file ${path} cannot be read: ${(error as Error).message}` };
  }
  // TextDecoder drops a byte order mark, which editors on Windows write and JSON.parse refuses.
  const json = parseJsonText(new TextDecoder().decode(bytes));
  return json.ok ? { value: json.value } : { problem: `config file ${path} could not be read as JSON ${json.problem}` };
}

import { ErrorCode, RemoteMediaError, parseJsonText } from '@remotemedia/shared';

/** Parses a JSON input file that must hold an array: each element is one item for the pipeline. */
export function parseJsonItems(text: string, path: string): unknown[] {
  const json = parseJsonText(text);
  if (!json.ok) throw new RemoteMediaError(ErrorCode.InvalidInput, `${path} is not valid JSON ${json.problem}`);
  const { value } = json;
  if (!Array.isArray(value)) {
    throw new RemoteMediaError(ErrorCode.InvalidInput, `${path} must hold a JSON array of items, one per pipeline input`);
  }
  return value;
}

/**
 * Pipeline outputs as JSON text. Typed arrays (audio samples, video pixels) become plain arrays: JSON.stringify
 * would otherwise write them as objects keyed by index.
 */
export function stringifyOutputs(outputs: readonly unknown[]): string {
  return `${JSON.stringify(
    outputs,
    (_key, value: unknown) => (ArrayBuffer.isView(value) && !(value instanceof DataView) ? Array.from(value as unknown as ArrayLike<number>) : value),
    2,
  )}\n`;
}

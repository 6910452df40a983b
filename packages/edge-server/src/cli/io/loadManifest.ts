import {
  ErrorCode,
  RemoteMediaError,
  formatIssue,
  parseJsonText,
  validateManifest,
  type ResolvedManifest,
  type ValidationIssue,
} from '@remotemedia/shared';
import { readText } from './files.ts';

export type LoadedManifest =
  | { readonly ok: true; readonly manifest: ResolvedManifest }
  | { readonly ok: false; readonly issues: readonly ValidationIssue[] };

/**
 * Reads and validates a manifest file. A missing file (INVALID_INPUT) and a JSON syntax error (INVALID_MANIFEST,
 * with line and column) throw: neither has issues at paths inside the manifest to list.
 */
export async function loadManifest(path: string): Promise<LoadedManifest> {
  const json = parseJsonText(await readText(path));
  if (!json.ok) throw new RemoteMediaError(ErrorCode.InvalidManifest, `${path} is not valid JSON ${json.problem}`);
  return validateManifest(json.value);
}

/** Every issue on its own line, path first, under a header naming the file. */
export function formatManifestIssues(path: string, issues: readonly ValidationIssue[]): string {
  const count = `${issues.length} problem${issues.length === 1 ? '' : 's'}`;
  return `${path}: invalid pipeline manifest (${count}):\n${issues.map((issue) => `  ${formatIssue(issue)}`).join('\n')}\n`;
}

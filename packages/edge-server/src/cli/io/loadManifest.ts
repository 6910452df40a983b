import { validateManifest, formatIssue, type ResolvedManifest, type ValidationIssue } from '@remotemedia/shared';
import { readText } from './files.ts';

export type LoadedManifest =
  | { readonly ok: true; readonly manifest: ResolvedManifest }
  | { readonly ok: false; readonly issues: readonly ValidationIssue[] };

/**
 * Reads and validates a manifest file. The text goes to validateManifest unparsed, so a JSON syntax error is
 * reported like every other problem, at `(root)`. A missing file throws (INVALID_INPUT).
 */
export async function loadManifest(path: string): Promise<LoadedManifest> {
  return validateManifest(await readText(path));
}

/** Every issue on its own line, path first, under a header naming the file. */
export function formatManifestIssues(path: string, issues: readonly ValidationIssue[]): string {
  const count = `${issues.length} problem${issues.length === 1 ? '' : 's'}`;
  return `${path}: invalid pipeline manifest (${count}):\n${issues.map((issue) => `  ${formatIssue(issue)}`).join('\n')}\n`;
}

/** `Gain -> Resample (remote)`: the chain as one line. */
export function describeChain(manifest: ResolvedManifest): string {
  return manifest.nodes.map((entry) => (entry.placement === 'remote' ? `${entry.node} (remote)` : entry.node)).join(' -> ');
}

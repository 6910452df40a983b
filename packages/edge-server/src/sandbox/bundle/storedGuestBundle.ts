import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { GUEST_BUNDLE_PATH, hashInput, sameBuilder, type StoredGuestBundle } from './buildGuestBundle.ts';

/** The stored bundle when it is current, or why it cannot be used. */
export function readStoredBundle(path = GUEST_BUNDLE_PATH): StoredGuestBundle | string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'is missing' : `cannot be read (${(error as Error).message})`;
  }
  let stored: Partial<StoredGuestBundle>;
  try {
    stored = JSON.parse(text) as Partial<StoredGuestBundle>;
  } catch {
    return 'is not valid JSON';
  }
  if (
    typeof stored.prelude !== 'string' ||
    stored.edgeModules === null ||
    typeof stored.edgeModules !== 'object' ||
    typeof stored.inputs !== 'object'
  ) {
    return 'is not a guest bundle';
  }
  if (!sameBuilder(stored)) return 'was built by another version of the bundler';
  for (const [file, hash] of Object.entries(stored.inputs ?? {})) {
    let now: string;
    try {
      now = hashInput(file);
    } catch {
      return `was built from ${file}, which is gone`;
    }
    if (now !== hash) return `is older than ${file}`;
  }
  return stored as StoredGuestBundle;
}

/**
 * Writes the bundle where the next process looks for it, atomically (edges and test files starting at once may
 * all build it). Returns why it could not be written, or undefined; either way this process goes on with it.
 */
export function writeStoredBundle(bundle: StoredGuestBundle, path = GUEST_BUNDLE_PATH): string | undefined {
  const temporary = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(temporary, JSON.stringify(bundle));
    renameSync(temporary, path);
    return undefined;
  } catch (error) {
    rmSync(temporary, { force: true });
    return (error as Error).message;
  }
}

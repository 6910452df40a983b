import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync, version as esbuildVersion, type Format } from 'esbuild';
import { EDGE_MODULE_PREFIX } from '@remotemedia/shared/protocol';
import { GUEST_API_SLOT } from '../guest/guestApi.ts';

/** The guest code every sandbox runs, as source text. */
export interface GuestBundle {
  /** The prelude script, evaluated first in every sandbox; its completion value is the guest API record. */
  prelude: string;
  /** Modules the edge provides to sandboxed code, by import target (`edge:shared`). */
  edgeModules: Readonly<Record<string, string>>;
}

/** The bundle as written to disk, with what it was built from, so a stale one is noticed. */
export interface StoredGuestBundle extends GuestBundle {
  format: typeof STORED_FORMAT;
  esbuild: string;
  /** SHA-256 of every source file that went into the bundle, this builder included, by path from the package. */
  inputs: Record<string, string>;
}

const STORED_FORMAT = 1;
/** packages/edge-server/ (src/sandbox/bundle/ and dist/sandbox/bundle/ sit at the same depth): esbuild reports input paths relative to it. */
const PACKAGE_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** Where `npm run build` writes the bundle and the edge reads it (ignored by git, like every build output). */
export const GUEST_BUNDLE_PATH = join(PACKAGE_ROOT, 'dist', 'guest-bundle.json');
// From the package root, not from this file: the builder also runs from dist/, which holds no .ts, and src/ ships.
const PRELUDE_ENTRY = join(PACKAGE_ROOT, 'src', 'sandbox', 'guest', 'prelude.ts');
const BUILDER = fileURLToPath(import.meta.url);

/**
 * Bundles the guest code with esbuild: the prelude (../guest, one script), the portable part of
 * @remotemedia/shared that user nodes import as `edge:shared`, and its kernels as `edge:shared/kernels` (built
 * from the sources the edge itself runs, so a guest never sees another version of the catalogue than the edge's
 * built-in nodes). QuickJS (2024 release) runs ES2020; newer syntax is lowered.
 */
export function buildGuestBundle(): StoredGuestBundle {
  const prelude = bundle(PRELUDE_ENTRY, 'iife');
  const require = createRequire(import.meta.url);
  const shared = bundle(require.resolve('@remotemedia/shared/guest'), 'esm');
  // Its own module, so a node that only uses kernels does not load the rest of shared.
  const kernels = bundle(require.resolve('@remotemedia/shared/kernels'), 'esm');
  const files = [...prelude.inputs, ...shared.inputs, ...kernels.inputs, relative(PACKAGE_ROOT, BUILDER).split(sep).join('/')];
  const inputs: Record<string, string> = {};
  for (const file of [...new Set(files)].sort()) inputs[file] = hashInput(file);
  return {
    format: STORED_FORMAT,
    esbuild: esbuildVersion,
    inputs,
    // The wrapper keeps the API out of the global object: it is the script's completion value, which only the
    // host sees. Strict mode for all of it, as the modules were written.
    prelude: `(function () {\n'use strict';\nlet ${GUEST_API_SLOT};\n${prelude.text}return ${GUEST_API_SLOT};\n})()\n`,
    edgeModules: { [`${EDGE_MODULE_PREFIX}shared`]: shared.text, [`${EDGE_MODULE_PREFIX}shared/kernels`]: kernels.text },
  };
}

/** SHA-256 of an input file, by its path from the package (as esbuild reports it). */
export function hashInput(file: string): string {
  return createHash('sha256')
    .update(readFileSync(join(PACKAGE_ROOT, file)))
    .digest('hex');
}

/** Whether `stored` was built by this builder's format and esbuild version (its inputs are checked apart). */
export function sameBuilder(stored: { format?: unknown; esbuild?: unknown }): boolean {
  return stored.format === STORED_FORMAT && stored.esbuild === esbuildVersion;
}

function bundle(entry: string, format: Format): { text: string; inputs: string[] } {
  const result = buildSync({
    absWorkingDir: PACKAGE_ROOT,
    entryPoints: [entry],
    bundle: true,
    format,
    platform: 'neutral',
    target: 'es2020',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  return { text: result.outputFiles[0]!.text, inputs: Object.keys(result.metafile.inputs) };
}

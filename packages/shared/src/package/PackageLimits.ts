import { ErrorCode } from '../errors/ErrorCode.ts';
import { RemoteMediaError } from '../errors/RemoteMediaError.ts';

/**
 * Total JavaScript a package may carry. A package travels in one protocol message (16 MiB at most,
 * see shared `limits.ts`) and is compiled in a memory-capped sandbox; a node's own code is rarely more
 * than a few hundred KiB, so 4 MiB leaves room for a library or two without letting a stray bundle through.
 */
export const DEFAULT_MAX_PACKAGE_BYTES = 4 * 1024 * 1024;

/**
 * Total WebAssembly a package may carry, on top of its JavaScript. It travels base64 in the same message
 * (a third larger), and the edge compiles each module in a sandbox worker: a per-pixel kernel is a few KiB,
 * a codec a few hundred; 4 MiB leaves room for both.
 */
export const DEFAULT_MAX_WASM_BYTES = 4 * 1024 * 1024;

/** How many of the largest modules a too-large error names. */
const LARGEST_SHOWN = 5;

export interface SizedModule {
  readonly name: string;
  readonly size: number;
}

/**
 * Throws PackageTooLarge, naming the largest modules so the person knows what to cut. `kind` is what the
 * modules are (the JavaScript and the WebAssembly of a package have separate limits).
 */
export function assertPackageSize(modules: readonly SizedModule[], maxPackageBytes: number, kind = 'JavaScript'): void {
  const total = modules.reduce((sum, module) => sum + module.size, 0);
  if (total <= maxPackageBytes) return;
  const largest = [...modules]
    .sort((a, b) => b.size - a.size || (a.name < b.name ? -1 : 1))
    .slice(0, LARGEST_SHOWN)
    .map((module) => `${module.name} (${module.size} bytes)`)
    .join(', ');
  throw new RemoteMediaError(
    ErrorCode.PackageTooLarge,
    `Package is ${total} bytes of ${kind} in ${modules.length} modules, over the limit of ${maxPackageBytes} bytes. ` +
      `Largest modules: ${largest}.`,
  );
}

import type { NodePackage } from '@remotemedia/shared/protocol';
import type { SourceReader } from '../packager/SourceReader.ts';

/** One packed module: the package, and every location the packer read with what it found there. */
interface Packed {
  pkg: NodePackage;
  reads: Map<string, string | undefined>;
  /** Binary files read (a node's WebAssembly), with their bytes. */
  binaryReads: Map<string, Uint8Array | undefined>;
}

/** Packs a module with the given reader (the cache records through it). */
export type PackWith = (reader: SourceReader) => Promise<NodePackage>;

/**
 * Packed modules by entry URL and export name, so `remote()` of a class packed before costs a check instead of
 * a pack (module graph walk, lexing, transpiling). The check reads again every location the pack read,
 * including those found missing (a file created since may change how an import resolves), and compares the
 * text: an edit is seen whatever its size and however soon after the pack (file times are too coarse for
 * that), and reading a few dozen small files costs far less than packing them. An unchanged package keeps its
 * content-hash id, so the edge finds it in its own cache and nothing crosses the wire again.
 */
export class PackCache {
  private readonly packed = new Map<string, Packed>();

  constructor(
    private readonly reader: SourceReader,
    /** Entries kept (least recently used dropped first). */
    private readonly maxEntries = 256,
  ) {}

  async pack(moduleUrl: string, exportName: string, packWith: PackWith): Promise<NodePackage> {
    const key = `${exportName}\0${moduleUrl}`;
    const hit = this.packed.get(key);
    if (hit !== undefined && (await this.unchanged(hit))) {
      this.packed.delete(key);
      this.packed.set(key, hit);
      return hit.pkg;
    }
    const reads = new Map<string, string | undefined>();
    const binaryReads = new Map<string, Uint8Array | undefined>();
    const readBytes = this.reader.readBytes?.bind(this.reader);
    const recording: SourceReader = {
      read: async (url) => {
        const text = await this.reader.read(url);
        reads.set(url.href, text);
        return text;
      },
      ...(readBytes === undefined
        ? {}
        : {
            readBytes: async (url: URL) => {
              const bytes = await readBytes(url);
              binaryReads.set(url.href, bytes);
              return bytes;
            },
          }),
    };
    const pkg = await packWith(recording);
    this.packed.delete(key);
    this.packed.set(key, { pkg, reads, binaryReads });
    while (this.packed.size > this.maxEntries) this.packed.delete(this.packed.keys().next().value!);
    return pkg;
  }

  /** Forgets every packed module. */
  clear(): void {
    this.packed.clear();
  }

  private async unchanged(entry: Packed): Promise<boolean> {
    const checks = [...entry.reads].map(async ([href, text]) => (await this.reader.read(new URL(href))) === text);
    const binaryChecks = [...entry.binaryReads].map(async ([href, bytes]) => sameBytes(await this.reader.readBytes?.(new URL(href)), bytes));
    return (await Promise.all([...checks, ...binaryChecks])).every(Boolean);
  }
}

function sameBytes(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

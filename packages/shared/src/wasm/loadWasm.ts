import { ErrorCode } from '../errors/ErrorCode.ts';
import { RemoteMediaError } from '../errors/RemoteMediaError.ts';
import { hostWasmBridge, type HostWasmBridge } from './hostWasmBridge.ts';
import { instantiateWasm } from './instantiateWasm.ts';
import type { LoadWasmOptions, WasmInstance } from './WasmInstance.ts';

/** The web-platform pieces used here, present in browsers and Node (the package compiles without their typings). */
interface UrlLike {
  readonly href: string;
  readonly protocol: string;
}
const web = globalThis as unknown as {
  URL: new (input: string, base?: string) => UrlLike;
  fetch(url: string): Promise<{ ok: boolean; status: number; arrayBuffer(): Promise<ArrayBuffer> }>;
  console: { log(...args: unknown[]): void };
};

/** The edge's default sandbox memory: the budget a module gets locally unless the caller says otherwise. */
const LOCAL_MEMORY_BUDGET_BYTES = 32 * 1024 * 1024;

/**
 * Loads a WebAssembly module that ships next to the node's code:
 * `const blur = await loadWasm('./blur.wasm', import.meta.url)`.
 *
 * Locally (Node, browser) the file is read relative to `base` and instantiated by the engine's WebAssembly. On
 * the edge the packager has put the file into the node's package (it finds every `loadWasm('<literal>.wasm'`
 * call), the sandbox has no `import.meta.url` and no WebAssembly of its own, and the host instantiates the
 * module beside the sandbox, under the sandbox's limits. Either way the same rules apply before anything runs:
 * only env.memory and env.log can be imported, memories and tables must declare bounded maxima.
 */
export async function loadWasm(specifier: string, base?: string | { readonly href: string }, options: LoadWasmOptions = {}): Promise<WasmInstance> {
  if (typeof specifier !== 'string' || !specifier.endsWith('.wasm')) {
    throw new RemoteMediaError(ErrorCode.InvalidInput, `loadWasm takes the path of a .wasm file, got ${String(specifier).slice(0, 80)}`);
  }
  const bridge = hostWasmBridge();
  if (bridge !== undefined) return bridgedInstance(bridge, specifier);
  if (base === undefined) {
    throw new RemoteMediaError(ErrorCode.InvalidInput, `loadWasm('${specifier}') needs a base to resolve it against: pass import.meta.url`);
  }
  const url = new web.URL(specifier, typeof base === 'string' ? base : base.href);
  const bytes = await readBinary(url);
  const logged = (text: string): void => web.console.log(`[wasm ${specifier}] ${text}`);
  return instantiateWasm(bytes, { budgetBytes: options.maxMemoryBytes ?? LOCAL_MEMORY_BUDGET_BYTES, log: logged, name: specifier }).instance;
}

async function readBinary(url: UrlLike): Promise<Uint8Array> {
  if (url.protocol === 'file:') {
    // Node only; getBuiltinModule keeps this module free of Node imports, so it bundles for the browser as is.
    const process = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
    const fs = process?.getBuiltinModule?.('node:fs') as { readFileSync(path: unknown): Uint8Array } | undefined;
    if (fs === undefined) throw new RemoteMediaError(ErrorCode.ModuleNotFound, `cannot read ${url.href}: no file system here`);
    try {
      return fs.readFileSync(url);
    } catch (error) {
      throw new RemoteMediaError(ErrorCode.ModuleNotFound, `cannot read ${url.href}: ${(error as Error).message}`, { cause: error });
    }
  }
  const response = await web.fetch(url.href);
  if (!response.ok) throw new RemoteMediaError(ErrorCode.ModuleNotFound, `cannot fetch ${url.href}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

/** The guest side of a module the edge's host runs: every call crosses to the host, which checks it. */
function bridgedInstance(bridge: HostWasmBridge, specifier: string): WasmInstance {
  const loaded = JSON.parse(bridge.load(specifier)) as { id: number; functions: string[] };
  const { id } = loaded;
  return {
    functions: Object.freeze(loaded.functions),
    memoryBytes: () => bridge.memoryBytes(id),
    call: (name, ...args) => bridge.call(id, name, ...args),
    write: (offset, bytes) => {
      const [buffer, start, length] = bufferRange(bytes, `${specifier}.write`);
      bridge.write(id, offset, buffer, start, length);
    },
    read: (offset, length) => new Uint8Array(bridge.read(id, offset, length)),
    readInto: (offset, target) => {
      const [buffer, start, length] = bufferRange(target, `${specifier}.readInto`);
      bridge.readInto(id, offset, buffer, start, length);
    },
  };
}

/** The buffer and byte range of an ArrayBuffer or a view, for the bridge (which checks them again). */
function bufferRange(bytes: ArrayBufferView | ArrayBuffer, what: string): [ArrayBuffer, number, number] {
  if (bytes instanceof ArrayBuffer) return [bytes, 0, bytes.byteLength];
  if (ArrayBuffer.isView(bytes)) return [bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength];
  throw new RemoteMediaError(ErrorCode.WasmBadArgument, `${what}: bytes must be an ArrayBuffer or a typed array`);
}

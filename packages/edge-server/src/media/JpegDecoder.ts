import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import decode, { init } from '@jsquash/jpeg/decode.js';

/**
 * JPEG decoding with @jsquash/jpeg (mozjpeg compiled to WASM, shipped inside its npm package), chosen by
 * `npm run bench:codecs`: fastest decoder at both sizes (p50 1.1 ms at 320x240, 8 ms at 640x480 in a run at load
 * ~25, against sharp's 45 and 18 ms and jpeg-js's 31 and 59 ms; quiet, 1.4 and 3.7 ms).
 *
 * One WASM instance per thread, compiled from the package's own .wasm file (nothing fetched). mozjpeg reports a
 * corrupt stream by calling exit(), after which the instance's heap is not trusted: a failure re-instantiates.
 */

export interface DecodedRgba {
  readonly width: number;
  readonly height: number;
  readonly rgba: Uint8Array;
}

/** The edge's tsconfig has no DOM lib (where TypeScript declares WebAssembly); Node has it at run time. */
interface WasmModuleApi {
  Module: new (bytes: Uint8Array) => object;
}
const wasm = (globalThis as unknown as { WebAssembly: WasmModuleApi }).WebAssembly;
/** @jsquash/jpeg's init, typed as it is called here: a compiled module and emscripten's output hooks. */
const initDecoder = init as unknown as (module: object, options: { print(text: string): void; printErr(text: string): void }) => Promise<void>;

let compiled: object | undefined;
let ready: Promise<void> | undefined;
/** The last line the decoder printed: mozjpeg says why a stream is bad on stderr. */
let lastMessage = '';

function wasmModule(): object {
  if (compiled === undefined) {
    const require = createRequire(import.meta.url);
    compiled = new wasm.Module(readFileSync(require.resolve('@jsquash/jpeg/codec/dec/mozjpeg_dec.wasm')));
  }
  return compiled;
}

function instantiate(): Promise<void> {
  const remember = (text: string): void => {
    lastMessage = String(text).slice(0, 200);
  };
  ready = initDecoder(wasmModule(), { print: remember, printErr: remember });
  return ready;
}

/** Compiles and instantiates the decoder now (it is otherwise done on the first frame). */
export function loadJpegDecoder(): Promise<void> {
  return ready ?? instantiate();
}

/** Decodes one JPEG to RGBA. Throws (with mozjpeg's reason when it gave one) on a stream it cannot decode. */
export async function decodeJpegToRgba(bytes: Uint8Array): Promise<DecodedRgba> {
  await (ready ?? instantiate());
  lastMessage = '';
  // The decoder copies the input into its own heap; it needs an ArrayBuffer holding exactly the stream.
  const input = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes.buffer : bytes.slice().buffer;
  try {
    const image = (await decode(input as ArrayBuffer)) as { width: number; height: number; data: Uint8ClampedArray };
    return { width: image.width, height: image.height, rgba: new Uint8Array(image.data.buffer, image.data.byteOffset, image.data.byteLength) };
  } catch (error) {
    const why = lastMessage || (error instanceof Error ? error.message : String(error));
    void instantiate();
    throw new Error(why.trim() || 'the JPEG decoder refused the stream');
  }
}

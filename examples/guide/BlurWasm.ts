import { loadWasm, type VideoFrameData, type WasmInstance } from '@remotemedia/shared';

/**
 * A 3x3 box blur whose pixel loop is WebAssembly (wasm/blur.wasm, built from wasm/blur.wat). Locally it runs
 * in the engine's WebAssembly; on the edge the packager ships the binary and the edge runs it beside the
 * sandbox. The module sits in a #private field: snapshots carry only enumerable fields, and a module is not data.
 */
export class BlurWasm {
  #wasm: WasmInstance | undefined;

  async process(frame: VideoFrameData): Promise<VideoFrameData> {
    if (frame.format !== 'rgba') throw new TypeError(`BlurWasm takes rgba frames, got ${frame.format}`);
    this.#wasm ??= await loadWasm('./wasm/blur.wasm', import.meta.url);
    const wasm = this.#wasm;
    const size = frame.data.byteLength;
    // Layout in the module's memory: the frame, the result, then row sums (2 bytes per byte).
    if (wasm.call('grow', size * 4) !== 1) throw new RangeError(`a ${frame.width}x${frame.height} frame does not fit in blur.wasm's memory`);
    wasm.write(0, frame.data); // one copy in
    wasm.call('blur', 0, size, size * 2, frame.width, frame.height);
    wasm.readInto(size, frame.data); // one copy out, over the frame's own bytes
    return frame;
  }
}

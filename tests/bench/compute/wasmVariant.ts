import { packFile } from '@remotemedia/browser-sdk/node';
import type { VideoFrameData } from '@remotemedia/shared';
import type { NodeSandbox, SandboxPool } from '@remotemedia/edge-server/sandbox';
import { buildWasmFixtures, WASM_FIXTURES } from '../../support/wasmFixtures.ts';

/**
 * Variant (d) of the compute bench: user WebAssembly from the sandbox. The node (tests/fixtures/wasm/
 * PixelsWasm.ts, its module built from pixels.wat at run time) copies each frame into its module's memory,
 * runs the export and copies the result out.
 */
export interface ComputeVariant {
  readonly id: string;
  readonly label: string;
  /** Prepares the variant; returns the effect runner for one frame. */
  setup(pool: SandboxPool): Promise<{
    grayscale(frame: VideoFrameData): Promise<Uint8Array>;
    blur(frame: VideoFrameData): Promise<Uint8Array>;
    /** Runs the effect `times` times on the frame inside one sandbox call (see PixelsWasm.repeat). */
    repeat(effect: 'grayscale' | 'blur', frame: VideoFrameData, times: number): Promise<void>;
  }>;
}

export const wasmVariant: ComputeVariant = {
  id: 'd',
  label: '(d) user WebAssembly from the sandbox',
  async setup(pool) {
    await buildWasmFixtures();
    const pkg = await packFile(new URL('PixelsWasm.ts', WASM_FIXTURES), 'PixelsWasm');
    const sandbox: NodeSandbox = await pool.create({ pkg, nodeName: 'PixelsWasm' });
    return {
      grayscale: async (frame) => ((await sandbox.process(frame)) as VideoFrameData[])[0]!.data,
      blur: async (frame) => ((await sandbox.call('blurInPlace', [frame])) as VideoFrameData).data,
      repeat: async (effect, frame, times) => {
        await sandbox.call('repeat', [effect === 'grayscale' ? 'process' : 'blurInPlace', frame, times]);
      },
    };
  },
};

// Run: node --import tsx examples/guide/try-wasm-blur.ts
import { readFileSync, writeFileSync } from 'node:fs';
import wabtInit from 'wabt';
import { createVideoFrame, runNode } from '@remotemedia/browser-sdk/node';
import { BlurWasm } from './BlurWasm.ts';

// Build step: any compiler that emits WebAssembly will do (AssemblyScript, Rust, C); here wabt turns the text
// format into the binary next to the node's code, where loadWasm and the packager find it.
const wabt = await wabtInit();
const parsed = wabt.parseWat('blur.wat', readFileSync(new URL('./wasm/blur.wat', import.meta.url), 'utf8'));
writeFileSync(new URL('./wasm/blur.wasm', import.meta.url), parsed.toBinary({}).buffer);
parsed.destroy();

const frame = createVideoFrame({ width: 3, height: 2, format: 'rgba' });
frame.data.set([90, 0, 0, 255, 0, 90, 0, 255, 0, 0, 90, 255, 9, 9, 9, 255, 18, 18, 18, 255, 27, 27, 27, 255]);
const local = await new BlurWasm().process(structuredClone(frame));
const { outputs } = await runNode(BlurWasm, [frame]); // packed with blur.wasm, run beside the QuickJS sandbox
console.log(local.data.join(' '));
console.log(outputs[0]!.data.join(' ') === local.data.join(' ') ? 'the sandbox agrees' : 'the sandbox differs');

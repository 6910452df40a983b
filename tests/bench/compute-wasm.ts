// `npm run bench:wasm`: variant (d) of the compute bench, user WebAssembly from the sandbox, against (a) the same
// effect in plain JavaScript in V8 on the host. RGBA grayscale and a 3x3 box blur at 320x240 and 640x480, from one
// interleaved run (the variants alternate sample by sample). A sandbox call also pays for moving the frame through
// the pool, the worker and the membrane, whatever the node does. So (d)'s node time is measured inside the
// sandbox: one call runs the effect REPEAT times on its frame (copy in, run, copy out, each time) and another runs
// it 0 times; their difference over REPEAT is one sample. (a) is timed the same way (REPEAT runs, per run). The
// plain round trip of one frame is reported beside it. Writes bench-results/compute-wasm.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { createVideoFrame, type VideoFrameData } from '@remotemedia/shared';
import { SandboxPool } from '@remotemedia/edge-server/sandbox';
import { repoRoot } from '../support/edgeProcess.ts';
import { boxBlurRgba, grayscaleRgba } from './compute/pixelReference.ts';
import { wasmVariant } from './compute/wasmVariant.ts';
import { round, summarize } from './stats.ts';

const FRAMES = Number(process.env.BENCH_FRAMES ?? 200);
const WARMUP = 20;
const REPEAT = 8;
const SIZES = [
  [320, 240],
  [640, 480],
] as const;

function testFrame(width: number, height: number): VideoFrameData {
  const frame = createVideoFrame({ width, height, format: 'rgba' });
  for (let i = 0; i < frame.data.length; i++) frame.data[i] = (i * 31 + (i >> 9)) & 255;
  return frame;
}

async function main(): Promise<void> {
  const pool = new SandboxPool({ workers: 1, limits: { callTimeoutMs: 5000 } });
  const wasm = await wasmVariant.setup(pool);
  const rows: Record<string, unknown>[] = [];
  for (const [width, height] of SIZES) {
    const frame = testFrame(width, height);
    const working = frame.data.slice();
    const effects = {
      grayscale: {
        // In place, as a node would (grayscale of a gray frame is the same frame, so repeating it is fair).
        v8: () => {
          grayscaleRgba(working);
          return working;
        },
        wasm: () => wasm.grayscale(frame),
        repeat: (times: number) => wasm.repeat('grayscale', frame, times),
      },
      blur: {
        v8: () => {
          const out = new Uint8Array(frame.data.length);
          boxBlurRgba(frame.data, out, width, height);
          return out;
        },
        wasm: () => wasm.blur(frame),
        repeat: (times: number) => wasm.repeat('blur', frame, times),
      },
    };
    for (const [effect, run] of Object.entries(effects)) {
      const got = await run.wasm();
      const expected = run.v8();
      if (Buffer.compare(Buffer.from(expected), Buffer.from(got)) !== 0) throw new Error(`${effect} ${width}x${height}: (d) differs from (a)`);
      for (let i = 0; i < WARMUP; i++) {
        run.v8();
        await run.wasm();
        await run.repeat(1);
      }
      const v8: number[] = [];
      const roundTrip: number[] = [];
      const node: number[] = [];
      for (let i = 0; i < FRAMES; i++) {
        // Timed like (d): REPEAT runs back to back, per run. On a loaded machine a longer interval catches more
        // preemption, so timing the two differently would favour the shorter one.
        let t = performance.now();
        for (let r = 0; r < REPEAT; r++) run.v8();
        v8.push((performance.now() - t) / REPEAT);
        t = performance.now();
        await run.wasm();
        roundTrip.push(performance.now() - t);
        t = performance.now();
        await run.repeat(REPEAT);
        const repeated = performance.now() - t;
        t = performance.now();
        await run.repeat(0);
        const empty = performance.now() - t;
        node.push(Math.max(0, (repeated - empty) / REPEAT));
      }
      const a = summarize(v8);
      const d = summarize(node);
      rows.push({
        effect: `${effect} ${width}x${height}`,
        'a V8 p50': a.p50,
        'a V8 p99': a.p99,
        'd node p50': d.p50,
        'd node p99': d.p99,
        'd/a p50': round(d.p50 / a.p50, 2),
        'd round trip p50': summarize(roundTrip).p50,
      });
    }
  }
  await pool.close();
  console.log('times in ms');
  console.table(rows);
  const dir = `${repoRoot}/bench-results`;
  mkdirSync(dir, { recursive: true });
  const out = { when: new Date().toISOString(), node: process.version, frames: FRAMES, repeat: REPEAT, variant: wasmVariant.label, rows };
  writeFileSync(`${dir}/compute-wasm.json`, `${JSON.stringify(out, null, 2)}\n`);
  console.log(`wrote ${dir}/compute-wasm.json`);
}

await main();

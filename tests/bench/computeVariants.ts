// The compute part of `npm run bench`: each variant is one way to run a per-pixel effect, and opens a runner that
// processes one frame per run() call. Another variant (user WebAssembly, say) is one more entry in COMPUTE_VARIANTS.
import { readFileSync } from 'node:fs';
import type { VideoFrameData } from '@remotemedia/shared';
import { repoRoot } from '../support/edgeProcess.ts';
import { openInProcessGuest } from '../support/inProcessGuest.ts';

export type ComputeOp = 'grayscale' | 'boxBlur3x3';
export const COMPUTE_OPS: readonly ComputeOp[] = ['grayscale', 'boxBlur3x3'];
export const COMPUTE_SIZES: readonly (readonly [number, number])[] = [
  [320, 240],
  [640, 480],
];

export interface ComputeRunner {
  /** Processes the runner's frame once (synchronously, or awaited). */
  run(): unknown;
  close(): void;
}

export interface ComputeVariant {
  id: string;
  label: string;
  /** Samples per interleaved round: slow variants take one, fast ones more, so each gets a usable tail. */
  samplesPerRound: number;
  open(op: ComputeOp, width: number, height: number): Promise<ComputeRunner>;
}

/** The frame every variant processes: a fixed pattern, so each run does the same work. */
export function benchFrame(width: number, height: number): VideoFrameData {
  const data = new Uint8Array(width * height * 4);
  for (let i = 0; i < data.length; i++) data[i] = (i * 31 + (i >> 9)) & 255;
  return { kind: 'video', width, height, format: 'rgba', timestamp: 0, data };
}

const demoNode = (file: string): string => readFileSync(`${repoRoot}demo/src/nodes/${file}`, 'utf8');

type FrameNode = { process(frame: VideoFrameData): unknown };
/** A demo template's class, loaded as a module of this process (plain JS: run by V8). */
async function demoClass(file: string, exportName: string): Promise<new () => FrameNode> {
  const module = (await import(`${repoRoot}demo/src/nodes/${file}`)) as Record<string, new () => FrameNode>;
  return module[exportName]!;
}

/** The effect as a user writes it: the demo's templates (plain JS loops, and the same with kernels). */
const NODES: Record<ComputeOp, { loop: [file: string, exportName: string]; kernels: [file: string, exportName: string] }> = {
  grayscale: { loop: ['GrayscaleLoopNode.js', 'GrayscaleLoopNode'], kernels: ['GrayscaleNode.js', 'GrayscaleNode'] },
  boxBlur3x3: { loop: ['BoxBlurLoopNode.js', 'BoxBlurLoopNode'], kernels: ['BoxBlurKernelsNode.js', 'BoxBlurKernelsNode'] },
};

/** Keeps a frame inside the guest and runs the node over it, so a call times the node and not the frame's transfer. */
const harness = (file: string, exportName: string): string => `import { ${exportName} } from './${file}';
export class Harness {
  constructor(width, height, data) { this.node = new ${exportName}(); this.frame = { kind: 'video', width, height, format: 'rgba', timestamp: 0, data }; }
  run() { return this.node.process(this.frame).data.length; }
}`;

async function openSandboxed(op: ComputeOp, style: 'loop' | 'kernels', width: number, height: number): Promise<ComputeRunner> {
  const [file, exportName] = NODES[op][style];
  const source = demoNode(file);
  const guest = await openInProcessGuest({
    sources: { 'harness.js': harness(file, exportName), [file]: source },
    entry: 'harness.js',
    exportName: 'Harness',
    ctorArgs: [width, height, benchFrame(width, height).data],
    limits: { callTimeoutMs: 10_000, memoryBytes: 64 * 1024 * 1024 },
  });
  return { run: () => guest.call('run', []), close: () => guest.dispose() };
}

export const COMPUTE_VARIANTS: ComputeVariant[] = [
  {
    id: 'a',
    label: 'plain JS in V8 (host)',
    samplesPerRound: 10,
    open: async (op, width, height) => {
      const Node = await demoClass(...NODES[op].loop);
      const frame = benchFrame(width, height);
      const node = new Node();
      return { run: () => node.process(frame), close: () => {} };
    },
  },
  { id: 'b', label: 'JS loop in the sandbox', samplesPerRound: 1, open: (op, w, h) => openSandboxed(op, 'loop', w, h) },
  { id: 'c', label: 'host kernels from the sandbox', samplesPerRound: 10, open: (op, w, h) => openSandboxed(op, 'kernels', w, h) },
];

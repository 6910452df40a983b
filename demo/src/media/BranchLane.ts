import { drawVideoFrame, type CameraCapture, type PipelineGraph, type RemoteSession, type VideoFrameData } from '@remotemedia/browser-sdk';
import { BRANCH_MANIFEST, type BranchId } from '../nodes/branchGraph.ts';
import { isConnectionLoss } from './isConnectionLoss.ts';

export interface BranchLaneOptions {
  canvases: Record<BranchId, HTMLCanvasElement>;
  /** A camera frame went into the graph. */
  onInput(): void;
  /** An output and the camera frame it was made from. */
  onFrame(branch: BranchId, input: VideoFrameData, output: VideoFrameData): void;
  onError(error: unknown): void;
}

interface Region {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Boxes what a detector found (MotionDetector's `motion.regions`) on the frame just drawn. */
function drawRegions(canvas: HTMLCanvasElement, regions: readonly Region[]): void {
  const context = canvas.getContext('2d');
  if (context === null || regions.length === 0) return;
  context.strokeStyle = '#ff3b30';
  context.lineWidth = 2;
  for (const { x, y, width, height } of regions) context.strokeRect(x + 1, y + 1, width - 2, height - 2);
}

/** Camera frames kept to pair outputs with their inputs: more than both branches can hold in flight. */
const INPUTS_KEPT = 16;

/**
 * Camera -> a graph of two remote branches -> a canvas per branch. Stopping ends the camera source, so the
 * graph finishes the frames it holds and closes (disposing its nodes on the edge).
 */
export class BranchLane {
  private running: { stop(): void; done: Promise<void> } | undefined;

  constructor(private readonly options: BranchLaneOptions) {}

  get active(): boolean {
    return this.running !== undefined;
  }

  start(session: RemoteSession, camera: CameraCapture): PipelineGraph {
    void this.stop();
    const graph = session.loadGraph(BRANCH_MANIFEST);
    let stopped = false;
    const options = this.options;
    const inputs = new Map<number, VideoFrameData>();
    async function* frames(): AsyncGenerator<VideoFrameData> {
      for await (const frame of camera.frames()) {
        if (stopped) return;
        options.onInput();
        inputs.set(frame.timestamp, frame);
        if (inputs.size > INPUTS_KEPT) inputs.delete(inputs.keys().next().value!);
        yield frame;
      }
    }
    const done = (async () => {
      for await (const { node, item } of graph.stream(frames())) {
        const output = item as VideoFrameData;
        const branch = node as BranchId;
        const canvas = this.options.canvases[branch];
        drawVideoFrame(canvas, output);
        drawRegions(canvas, (output as { motion?: { regions?: readonly Region[] } }).motion?.regions ?? []);
        const input = inputs.get(output.timestamp);
        if (input !== undefined) this.options.onFrame(branch, input, output);
      }
    })().catch((error: unknown) => {
      if (!isConnectionLoss(error)) this.options.onError(error);
    });
    this.running = { stop: () => (stopped = true), done };
    return graph;
  }

  /** Resolves when the graph has closed. */
  async stop(): Promise<void> {
    const running = this.running;
    this.running = undefined;
    running?.stop();
    await running?.done;
  }
}

import type { EdgeTiming } from '@remotemedia/shared';
import { RoundTripStats } from './RoundTripStats.ts';

/**
 * Stages of a frame's round trip, in the order a frame meets them: `encode` is the client compressing the frame
 * before it is sent and `decode` decompressing the reply (both only when video travels compressed; they are
 * outside the round trip); `network` is the round trip minus the edge's stages (both directions on the wire,
 * and the client's own send and receive work); `edgeQueue` and `node` come from the edge's `timing`;
 * `edgeDecode`/`edgeEncode` when the edge decoded the frame or encoded its output.
 */
export type FrameStage = 'encode' | 'network' | 'edgeDecode' | 'edgeQueue' | 'node' | 'edgeEncode' | 'decode';

/** Percentiles of one stage over recent frames, ms. */
export interface StageTiming {
  p50Ms: number;
  p99Ms: number;
  samples: number;
}

/** Recent frames' time per stage, so a person can see where a round trip goes. Stages never seen are absent. */
export class FrameTimings {
  private readonly stages = new Map<FrameStage, RoundTripStats>();

  add(stage: FrameStage, ms: number): void {
    let stats = this.stages.get(stage);
    if (stats === undefined) {
      stats = new RoundTripStats();
      this.stages.set(stage, stats);
    }
    stats.add(ms);
  }

  /** One frame's round trip and what the edge said it spent. */
  frame(roundTripMs: number, edge: EdgeTiming | undefined): void {
    if (edge === undefined) return;
    const onEdge = edge.queueMs + edge.nodeMs + (edge.decodeMs ?? 0) + (edge.encodeMs ?? 0);
    this.add('network', Math.max(0, roundTripMs - onEdge));
    this.add('edgeQueue', edge.queueMs);
    this.add('node', edge.nodeMs);
    if (edge.decodeMs !== undefined) this.add('edgeDecode', edge.decodeMs);
    if (edge.encodeMs !== undefined) this.add('edgeEncode', edge.encodeMs);
  }

  summary(): Partial<Record<FrameStage, StageTiming>> {
    const out: Partial<Record<FrameStage, StageTiming>> = {};
    for (const [stage, stats] of this.stages) out[stage] = { p50Ms: stats.percentile(50), p99Ms: stats.percentile(99), samples: stats.size };
    return out;
  }
}

import type { PixelFormat } from '../frames/VideoFrameData.ts';
import type { BoundedQueue } from './BoundedQueue.ts';
import type { NodeStats } from './NodeStats.ts';
import type { PipelineNode } from './PipelineNode.ts';
import type { QueueOptions } from './QueueOptions.ts';

/** A node as a pipeline holds it: its resolved queue options, counters and lifecycle flags. Internal. */
export interface Stage {
  readonly node: PipelineNode;
  readonly index: number;
  readonly queue: QueueOptions;
  /** What the node declared it accepts (checked when added); frames are converted to it before `process`. */
  readonly accepts: readonly PixelFormat[] | undefined;
  processed: number;
  emitted: number;
  dropped: number;
  errors: number;
  initialized: boolean;
  /** The input queue while a stream runs. */
  live: BoundedQueue<unknown> | undefined;
}

export function createStage(node: PipelineNode, index: number, queue: QueueOptions, accepts: readonly PixelFormat[] | undefined): Stage {
  return { node, index, queue, accepts, processed: 0, emitted: 0, dropped: 0, errors: 0, initialized: false, live: undefined };
}

export function stageStats(stage: Stage): NodeStats {
  return {
    name: stage.node.name,
    index: stage.index,
    processed: stage.processed,
    emitted: stage.emitted,
    dropped: stage.dropped,
    errors: stage.errors,
    queueDepth: stage.live?.size ?? 0,
    queueCapacity: stage.queue.capacity,
    queuePolicy: stage.queue.policy,
  };
}

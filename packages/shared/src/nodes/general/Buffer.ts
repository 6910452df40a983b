import { PIXEL_FORMATS } from '../../frames/VideoFrameData.ts';
import type { PipelineNode } from '../../pipeline/PipelineNode.ts';
import { defineBuiltinNode } from '../NodeDefinition.ts';
import { NO_NODE_LIMITS, type NodeLimits } from '../NodeLimits.ts';
import { OutputAllocator } from '../OutputAllocator.ts';
import { measureItem } from '../measureItem.ts';

export interface BufferConfig {
  size: number;
}

/** Collects items and emits them as one array per `size` inputs; `flush` emits the remainder. */
export class BufferNode<T = unknown> implements PipelineNode<T, T[]> {
  readonly name = 'Buffer';
  private readonly size: number;
  private readonly output: OutputAllocator;
  private held: T[] = [];
  private heldBytes = 0;

  constructor(config: BufferConfig, limits: NodeLimits = NO_NODE_LIMITS) {
    this.size = config.size;
    this.output = new OutputAllocator(this.name, limits);
  }

  process(item: T): T[] | undefined {
    const room = this.output.limits.maxItemBytes - this.heldBytes;
    // Unbounded hosts skip the walk; otherwise the batch is emitted as one item, so it must stay sendable.
    const bytes = Number.isFinite(room) ? measureItem(item, room).bytes : 0;
    this.output.checkItem(this.heldBytes + bytes, `a batch of ${this.held.length + 1} items`);
    this.held.push(item);
    this.heldBytes += bytes;
    return this.held.length >= this.size ? this.take() : undefined;
  }

  flush(): T[] | undefined {
    return this.held.length > 0 ? this.take() : undefined;
  }

  private take(): T[] {
    const batch = this.held;
    this.held = [];
    this.heldBytes = 0;
    return batch;
  }
}

export const bufferDefinition = defineBuiltinNode<BufferConfig>({
  name: 'Buffer',
  description: 'Groups items into arrays of `size`; the last, shorter batch is emitted when the input ends.',
  category: 'general',
  configSchema: {
    properties: {
      size: { type: 'integer', description: 'Items per batch.', minimum: 1, maximum: 100_000, default: 10 },
    },
  },
  example: { size: 4 },
  inputKinds: ['video', 'audio', 'data'],
  // Passes frames on whatever their layout, so nothing is converted before it.
  acceptedFormats: PIXEL_FORMATS,
  outputKinds: ['data'],
  remote: true,
  build: (config, limits) => new BufferNode(config, limits),
});

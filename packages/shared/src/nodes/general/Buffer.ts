import type { PipelineNode } from '../../pipeline/PipelineNode.ts';
import { defineNode } from '../NodeDefinition.ts';

export interface BufferConfig {
  size: number;
}

/** Collects items and emits them as one array per `size` inputs; `flush` emits the remainder. */
export class BufferNode<T = unknown> implements PipelineNode<T, T[]> {
  readonly name = 'Buffer';
  private readonly size: number;
  private held: T[] = [];

  constructor(config: BufferConfig) {
    this.size = config.size;
  }

  process(item: T): T[] | undefined {
    this.held.push(item);
    return this.held.length >= this.size ? this.take() : undefined;
  }

  flush(): T[] | undefined {
    return this.held.length > 0 ? this.take() : undefined;
  }

  private take(): T[] {
    const batch = this.held;
    this.held = [];
    return batch;
  }
}

export const bufferDefinition = defineNode<BufferConfig>({
  name: 'Buffer',
  description: 'Groups items into arrays of `size`; the last, shorter batch is emitted when the input ends.',
  category: 'general',
  configSchema: {
    properties: {
      size: { type: 'integer', description: 'Items per batch.', minimum: 1, maximum: 100_000, default: 10 },
    },
  },
  inputKinds: ['video', 'audio', 'data'],
  outputKinds: ['data'],
  remote: true,
  build: (config) => new BufferNode(config),
});

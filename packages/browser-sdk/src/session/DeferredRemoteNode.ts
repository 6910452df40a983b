import { ErrorCode, RemoteMediaError, type PipelineNode } from '@remotemedia/shared';
import type { RemoteNode } from './RemoteNode.ts';

/**
 * A remote built-in that is created on the edge when its pipeline initializes, so a manifest can be turned
 * into a Pipeline synchronously and nothing is allocated on the edge for a pipeline that never runs.
 */
export class DeferredRemoteNode implements PipelineNode {
  readonly name: string;
  private readonly create: () => Promise<RemoteNode>;
  private node: RemoteNode | undefined;

  constructor(name: string, create: () => Promise<RemoteNode>) {
    this.name = name;
    this.create = create;
  }

  async initialize(): Promise<void> {
    this.node ??= await this.create();
  }

  process(item: unknown): Promise<IterableIterator<unknown>> {
    return this.ready().process(item);
  }

  flush(): Promise<IterableIterator<unknown>> {
    return this.ready().flush();
  }

  async cleanup(): Promise<void> {
    await this.node?.dispose();
  }

  private ready(): RemoteNode {
    if (this.node === undefined) {
      throw new RemoteMediaError(ErrorCode.InvalidInput, `remote node ${this.name} is used before its pipeline initialized it`);
    }
    return this.node;
  }
}

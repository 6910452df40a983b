import { ErrorCode, RemoteMediaError, createNode, isManyResult, type PipelineNode } from '@remotemedia/shared';
import type { EdgeNode } from './EdgeNode.ts';

async function collect(result: unknown): Promise<unknown[]> {
  const value = await result;
  if (value === undefined) return [];
  if (!isManyResult(value)) return [value];
  const items: unknown[] = [];
  if (Symbol.asyncIterator in value) {
    for await (const item of value as AsyncIterable<unknown>) if (item !== undefined) items.push(item);
  } else {
    for (const item of value as Iterable<unknown>) if (item !== undefined) items.push(item);
  }
  return items;
}

/** A catalogue node run natively on the edge (trusted code: no sandbox needed), created by name and config. */
export class BuiltinNode implements EdgeNode {
  readonly name: string;
  readonly methods: readonly string[] = [];
  private readonly node: PipelineNode;
  private initialized: Promise<void> | undefined;
  private disposedFlag = false;

  /** Throws UNKNOWN_NODE or INVALID_CONFIG (with the offending paths) before anything is created. */
  constructor(name: string, config: unknown) {
    this.node = createNode(name, config);
    this.name = name;
  }

  get disposed(): boolean {
    return this.disposedFlag;
  }

  async process(item: unknown): Promise<unknown[]> {
    await this.ready();
    return collect(this.node.process ? this.node.process(item) : item);
  }

  async flush(): Promise<unknown[]> {
    await this.ready();
    return this.node.flush ? collect(this.node.flush()) : [];
  }

  call(method: string): Promise<unknown> {
    return Promise.reject(new RemoteMediaError(ErrorCode.UnknownMethod, `built-in node ${this.name} has no callable method "${method}"; send it items instead`));
  }

  async dispose(): Promise<void> {
    if (this.disposedFlag) return;
    this.disposedFlag = true;
    if (this.initialized) await this.node.cleanup?.();
  }

  private ready(): Promise<void> {
    if (this.disposedFlag) return Promise.reject(new RemoteMediaError(ErrorCode.Disposed, `node ${this.name} was disposed`));
    this.initialized ??= Promise.resolve(this.node.initialize?.());
    return this.initialized;
  }
}

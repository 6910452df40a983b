import type { PipelineNode, SerializedState } from '@remotemedia/shared';
import type { NodeChannel } from './NodeChannel.ts';

/** What the edge reports about a deployed node. */
export interface DeployedNodeInfo {
  nodeName: string;
  methods: string[];
}

/**
 * A node instance living on the edge, usable directly or as a stage of a Pipeline.
 * `process` sends one item (a frame or data) and resolves with an iterator over what the node produced for
 * it: nothing when it filtered the item, one item, or several (`const [out] = await node.process(frame)`).
 * An iterator rather than an array because a Pipeline treats an array as one item (a batch).
 */
export class RemoteNode implements PipelineNode {
  readonly nodeId: string;
  readonly name: string;
  readonly methods: readonly string[];
  private readonly channel: NodeChannel;
  private disposedFlag = false;

  constructor(channel: NodeChannel, nodeId: string, info: DeployedNodeInfo) {
    this.channel = channel;
    this.nodeId = nodeId;
    this.name = info.nodeName;
    this.methods = info.methods;
  }

  get disposed(): boolean {
    return this.disposedFlag;
  }

  async process(item: unknown): Promise<IterableIterator<unknown>> {
    return (await this.channel.process(this, item)).values();
  }

  /** Calls a method of the remote instance; its state stays on the edge between calls. */
  call<T = unknown>(method: string, ...args: unknown[]): Promise<T> {
    return this.channel.call(this, method, args) as Promise<T>;
  }

  /** Items the node still holds at the end of a stream (e.g. a partly filled buffer). */
  async flush(): Promise<IterableIterator<unknown>> {
    return ((await this.channel.request(this, 'flush')) as unknown[]).values();
  }

  /** A Pipeline calls this once at its end: the remote instance is freed with it. */
  async cleanup(): Promise<void> {
    await this.dispose();
  }

  /** The remote instance's own fields, superjson-serialized (use `superjson.deserialize` to read them). */
  snapshot(): Promise<SerializedState> {
    return this.channel.request(this, 'snapshot') as Promise<SerializedState>;
  }

  /** Persists the node's state to the edge's disk now; resolves once it is durably written. */
  async save(): Promise<void> {
    await this.channel.request(this, 'save');
  }

  /** Frees the sandbox on the edge. Idempotent. */
  async dispose(): Promise<void> {
    if (this.disposedFlag) return;
    this.disposedFlag = true;
    await this.channel.dispose(this);
  }
}

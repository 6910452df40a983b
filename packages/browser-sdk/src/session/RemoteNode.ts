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
 * `I` and `O` are the node's input and output when its type is known (a built-in by name, a class given to
 * `deploy<typeof MyNode>` or `remote`); the edge does not check them, it runs whatever the class does.
 *
 * In a Pipeline the node follows the same lifecycle as a local one: `initialize` and `cleanup` run the class's
 * own methods of those names on the edge, if it has them (the constructor ran at deploy), and `cleanup` then
 * frees the instance.
 */
export class RemoteNode<I = unknown, O = unknown> implements PipelineNode<I, O> {
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

  /**
   * `capturedAt`: when the item was captured, this machine's clock in ms since the epoch (default: now). The edge
   * skips a frame older than the node's deadline from then (rejected with FRAME_EXPIRED).
   */
  async process(item: I, options: { capturedAt?: number } = {}): Promise<IterableIterator<O>> {
    return ((await this.channel.process(this, item, options.capturedAt)) as O[]).values();
  }

  /** Calls a method of the remote instance; its state stays on the edge between calls. */
  call<T = unknown>(method: string, ...args: unknown[]): Promise<T> {
    return this.channel.call(this, method, args) as Promise<T>;
  }

  /** Items the node still holds at the end of a stream (e.g. a partly filled buffer). */
  async flush(): Promise<IterableIterator<O>> {
    return ((await this.channel.request(this, 'flush')) as O[]).values();
  }

  /** A Pipeline calls this once before the first item: runs the class's own `initialize` on the edge, if any. */
  async initialize(): Promise<void> {
    if (this.methods.includes('initialize')) await this.call('initialize');
  }

  /** A Pipeline calls this once at its end: the class's own `cleanup` runs on the edge, then the instance is freed. */
  async cleanup(): Promise<void> {
    try {
      if (this.methods.includes('cleanup') && !this.disposedFlag) await this.call('cleanup');
    } finally {
      await this.dispose();
    }
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

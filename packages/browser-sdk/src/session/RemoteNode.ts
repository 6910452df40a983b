import type { RemoteSession } from './RemoteSession.ts';

/** What the edge reports about a deployed node. */
export interface DeployedNodeInfo {
  nodeName: string;
  methods: string[];
}

/**
 * A node instance living on the edge. `process` sends one item (a frame or data) and resolves with what
 * the node produced for it: [] when it filtered the item, one item, or several. Usable in a Pipeline.
 */
export class RemoteNode {
  readonly nodeId: string;
  readonly name: string;
  readonly methods: readonly string[];
  private readonly session: RemoteSession;
  private disposedFlag = false;

  constructor(session: RemoteSession, nodeId: string, info: DeployedNodeInfo) {
    this.session = session;
    this.nodeId = nodeId;
    this.name = info.nodeName;
    this.methods = info.methods;
  }

  get disposed(): boolean {
    return this.disposedFlag;
  }

  process(item: unknown): Promise<unknown[]> {
    return this.session.processOn(this, item);
  }

  /** Calls a method of the remote instance; its state stays on the edge between calls. */
  call<T = unknown>(method: string, ...args: unknown[]): Promise<T> {
    return this.session.callOn(this, method, args) as Promise<T>;
  }

  /** Frees the sandbox on the edge. Idempotent. */
  async dispose(): Promise<void> {
    if (this.disposedFlag) return;
    this.disposedFlag = true;
    await this.session.disposeNode(this);
  }
}

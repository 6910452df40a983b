/** A node handle as its channel sees it: the id the edge knows it by and the name errors show. */
export interface NodeRef {
  readonly nodeId: string;
  readonly name: string;
  readonly disposed: boolean;
}

/** The requests a node's own methods send (`flush`, `snapshot`, `save`); the reply is the value. */
export type NodeRequestType = 'flush' | 'snapshot' | 'save';

/**
 * What a node handle needs to reach its instance on the edge. `RemoteNode` depends on this, not on the
 * session, so node handles, the session and the proxies built on them form no import circle.
 */
export interface NodeChannel {
  /** Sends one item (captured at `capturedAt`, this clock) through the node; resolves with everything it produced for it. */
  process(node: NodeRef, item: unknown, capturedAt?: number): Promise<unknown[]>;
  call(node: NodeRef, method: string, args: unknown[]): Promise<unknown>;
  request(node: NodeRef, type: NodeRequestType): Promise<unknown>;
  /** Frees the instance on the edge; the session forgets the node (it is not made again after a reconnect). */
  dispose(node: NodeRef): Promise<void>;
}

import type { ConsoleMessage, NodeRestoredMessage, RemoteError } from '@remotemedia/shared';

/** Everything a session reports to `session.on(...)`. One typed emitter carries them all. */
export interface RemoteSessionEvents {
  /** Console output of a remote node. */
  console: (entry: { nodeId: string; nodeName: string; level: ConsoleMessage['level']; text: string }) => void;
  /** An error the edge raised that belongs to no request (e.g. it could not read something we sent). */
  error: (error: RemoteError) => void;
  close: (reason: string) => void;
  /** The connection dropped; the session is trying to get it back. */
  reconnecting: (info: { attempt: number; delayMs: number; reason: string }) => void;
  /**
   * The connection is back. `resumed`: the edge still had the session and its nodes with their state.
   * Otherwise the nodes were created again from how they were first made (their state starts over).
   */
  reconnected: (info: { resumed: boolean; recreated: number }) => void;
  /**
   * The edge re-created a node after losing its worker to another cause than the node itself. The node is
   * usable; `state` says whether it came back from its last snapshot or fresh.
   */
  nodeRestored: (info: Pick<NodeRestoredMessage, 'nodeId' | 'nodeName' | 'state' | 'reason'>) => void;
}

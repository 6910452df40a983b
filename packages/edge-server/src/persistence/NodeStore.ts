import type { NodePackage } from '@remotemedia/shared';
import type { PersistedNode } from './PersistedNode.ts';

/**
 * Where persistent nodes' packages and snapshots are kept: the data directory of one edge (StateStore), or
 * Redis shared by a cluster of edges (cluster/ClusterStateStore). Sessions are filed under their resume key.
 */
export interface NodeStore {
  /** Where it keeps things, for the start-up log (never holds a password). */
  readonly location: string;
  init(): Promise<void>;
  savePackage(pkg: NodePackage): Promise<void>;
  /** The stored package, untrusted until the caller verifies it. */
  loadPackage(packageId: string): Promise<unknown>;
  /** Resolves once the node's state is durably stored. */
  saveNode(key: string, record: PersistedNode): Promise<void>;
  removeNode(key: string, nodeId: string): Promise<void>;
  /** Every readable node record of a session; unreadable ones are logged and skipped. */
  loadSession(key: string): Promise<PersistedNode[]>;
  loadNode(key: string, nodeId: string): Promise<PersistedNode | undefined>;
}

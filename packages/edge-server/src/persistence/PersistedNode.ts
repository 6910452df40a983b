import type { SerializedState } from '@remotemedia/shared';

/** One persistent node as written to disk: enough to rebuild it (package + own fields) under the same id. */
export interface PersistedNode {
  readonly format: 1;
  readonly sessionId: string;
  readonly nodeId: string;
  readonly nodeName: string;
  readonly packageId: string;
  /** ISO time of the snapshot. */
  readonly savedAt: string;
  /** The instance's own fields as superjson wrote them. */
  readonly state: SerializedState;
}

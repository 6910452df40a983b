import type { SerializedState } from '@remotemedia/shared';

/** How `session.deploy` starts a packed user node on the edge. */
export interface DeployOptions {
  /** Constructor arguments (plain data). */
  ctorArgs?: unknown[];
  /** Own fields of an instance, superjson-serialized; the constructor is not run. */
  state?: SerializedState;
  /** Keep the node's state on the edge's disk so it survives an edge restart. */
  persist?: boolean;
  /**
   * Frame deadline, ms from capture (0: never skip for age): the edge skips an older frame before the node and
   * rejects it with FRAME_EXPIRED. Default: the session's `frameDeadlineMs`, else the edge's setting.
   */
  deadlineMs?: number;
}

/** How `session.node` creates a built-in. */
export type CreateOptions = Pick<DeployOptions, 'deadlineMs'>;

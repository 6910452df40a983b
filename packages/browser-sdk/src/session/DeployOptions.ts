import type { SerializedState } from '@remotemedia/shared';

/** How `session.deploy` starts a packed user node on the edge. */
export interface DeployOptions {
  /** Constructor arguments (plain data). */
  ctorArgs?: unknown[];
  /** Own fields of an instance, superjson-serialized; the constructor is not run. */
  state?: SerializedState;
  /** Keep the node's state on the edge's disk so it survives an edge restart. */
  persist?: boolean;
}

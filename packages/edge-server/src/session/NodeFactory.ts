import type { ConsoleMessage, NodePackage, NodeRestoredMessage, Unversioned } from '@remotemedia/shared';
import type { Logger } from '../log/Logger.ts';
import { BuiltinNode } from '../nodes/BuiltinNode.ts';
import type { BuiltinPool } from '../nodes/BuiltinPool.ts';
import type { EdgeNode } from '../nodes/EdgeNode.ts';
import { SandboxedNode } from '../nodes/SandboxedNode.ts';
import type { SandboxPool } from '../sandbox/index.ts';

/** An event the client gets about one of its nodes, answering no request. */
export type NodeEvent = Unversioned<ConsoleMessage | NodeRestoredMessage>;

/** A user node's spec: from a deploy, or from the data dir. */
export interface SandboxSpec {
  pkg: NodePackage;
  ctorArgs?: unknown[];
  state?: unknown;
  persistent: boolean;
}

export interface NodeFactoryOptions {
  sessionId: string;
  pool: SandboxPool;
  builtins: BuiltinPool;
  log: Logger;
  /** A persistent node's last saved state, for re-creating it after its sandbox worker was lost. */
  savedState(nodeId: string): Promise<{ state: unknown } | undefined>;
  notify(event: NodeEvent): void;
}

/** The protocol's bound on a node-restored reason. */
const MAX_EVENT_REASON = 1024;

/**
 * Makes a session's nodes of each kind, wired to tell the client what happens to them on their own:
 * console output of a sandbox, and a node re-created after a worker loss it did not cause.
 */
export class NodeFactory {
  private readonly options: NodeFactoryOptions;

  constructor(options: NodeFactoryOptions) {
    this.options = options;
  }

  /** A catalogue node in the built-in worker. */
  builtin(nodeId: string, name: string, config: unknown): Promise<EdgeNode> {
    return BuiltinNode.create(this.options.builtins, name, config, (reason) => {
      this.options.log.info('built-in node re-created on another worker', { session: this.options.sessionId, node: name, reason });
      this.restored(nodeId, name, 'fresh', reason);
    });
  }

  /** A user node in a new sandbox. */
  async sandboxed(nodeId: string, spec: SandboxSpec): Promise<EdgeNode> {
    const sandbox = await this.options.pool.create({
      pkg: spec.pkg,
      ctorArgs: spec.ctorArgs ?? [],
      ...(spec.state !== undefined ? { state: spec.state } : {}),
      tenant: this.options.sessionId,
      onConsole: (entry) => this.options.notify({ type: 'console', nodeId, nodeName: sandbox.nodeName, level: entry.level, text: entry.text }),
      // A persistent node comes back from disk, as after an edge restart; others are built again.
      ...(spec.persistent ? { recoverState: () => this.options.savedState(nodeId) } : {}),
      onRestored: ({ state, reason }) => {
        this.options.log.info('node re-created on another sandbox worker', {
          session: this.options.sessionId,
          node: sandbox.nodeName,
          state,
          reason,
        });
        this.restored(nodeId, sandbox.nodeName, state, reason);
      },
    });
    return new SandboxedNode(sandbox);
  }

  private restored(nodeId: string, nodeName: string, state: NodeRestoredMessage['state'], reason: string): void {
    this.options.notify({ type: 'node-restored', nodeId, nodeName, state, reason: reason.slice(0, MAX_EVENT_REASON) });
  }
}

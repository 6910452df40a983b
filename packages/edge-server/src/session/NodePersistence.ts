import superjson from 'superjson';
import { ErrorCode, RemoteMediaError, type NodePackage, type SerializedState } from '@remotemedia/shared';
import type { Logger } from '../log/Logger.ts';
import type { EdgeMetrics } from '../metrics/EdgeMetrics.ts';
import type { BuiltinPool } from '../nodes/BuiltinPool.ts';
import type { NodeStore } from '../persistence/NodeStore.ts';
import type { PersistedNode } from '../persistence/StateStore.ts';
import { checkSerializedState } from '../state/checkSerializedState.ts';
import type { StateLimits } from '../state/StateLimits.ts';
import type { DeployedNode } from './DeployedNode.ts';

/** Why a snapshot was taken; also a metrics label. */
export type SnapshotTrigger = 'interval' | 'save' | 'shutdown' | 'expiry' | 'deploy' | 'migrate';

export interface NodePersistenceOptions {
  sessionId: string;
  /** The session's resume key: where the data dir files its nodes. */
  sessionKey: string;
  store: NodeStore;
  /** Decodes saved state off the main thread, within the same bounds as a client's. */
  builtins: Pick<BuiltinPool, 'decodeState'>;
  stateLimits: StateLimits;
  log: Logger;
  metrics: EdgeMetrics;
}

/** One session's persistent nodes on disk: their packages, their state as saved, read back and removed. */
export class NodePersistence {
  private readonly options: NodePersistenceOptions;

  constructor(options: NodePersistenceOptions) {
    this.options = options;
  }

  /** Snapshot -> superjson -> atomic file. Resolves only once the file is fsynced. */
  async save(deployed: DeployedNode, trigger: SnapshotTrigger): Promise<{ savedAt: string }> {
    const { node, origin } = deployed;
    if (!deployed.persistent || node.snapshot === undefined || origin === undefined) {
      throw new RemoteMediaError(ErrorCode.InvalidInput, `node "${deployed.name}" was not deployed with persist: true, so there is nothing to save`);
    }
    try {
      const state = superjson.serialize(await node.snapshot()) as SerializedState;
      // What is saved must load again: the same bounds a deploy's state gets.
      checkSerializedState(state, this.options.stateLimits, `the state of node "${deployed.name}"`);
      const savedAt = new Date().toISOString();
      await this.options.store.saveNode(this.options.sessionKey, {
        format: 1,
        sessionId: this.options.sessionId,
        nodeId: deployed.nodeId,
        nodeName: deployed.name,
        packageId: origin.packageId,
        savedAt,
        state,
      });
      this.options.metrics.snapshot(trigger, 'ok');
      return { savedAt };
    } catch (error) {
      this.options.metrics.snapshot(trigger, 'error');
      throw error;
    }
  }

  /** Saves each node; failures are logged and counted, the rest still get written. Resolves with how many were. */
  async saveAll(nodes: readonly DeployedNode[], trigger: SnapshotTrigger): Promise<number> {
    const results = await Promise.allSettled(nodes.map((deployed) => this.save(deployed, trigger)));
    results.forEach((result, i) => {
      if (result.status === 'rejected') {
        this.options.log.warn('snapshot failed', { session: this.options.sessionId, node: nodes[i]!.name, trigger, error: String(result.reason) });
      }
    });
    return results.filter((result) => result.status === 'fulfilled').length;
  }

  savePackage(pkg: NodePackage): Promise<void> {
    return this.options.store.savePackage(pkg);
  }

  /** A saved record's state as instance fields: decoded off the main thread and within bounds, like a client's deploy state, since the file could be anything. */
  decode(record: PersistedNode): Promise<unknown> {
    return this.options.builtins.decodeState(record.state, 'the saved state');
  }

  /** A persistent node's last snapshot on disk, as instance fields; undefined when there is none. */
  async load(nodeId: string): Promise<{ state: unknown } | undefined> {
    const record = await this.options.store.loadNode(this.options.sessionKey, nodeId);
    if (record === undefined) return undefined;
    return { state: await this.decode(record) };
  }

  /** A disposed node is not coming back: its saved state goes too. */
  remove(nodeId: string): Promise<void> {
    return this.options.store.removeNode(this.options.sessionKey, nodeId);
  }
}

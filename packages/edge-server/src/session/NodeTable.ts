import superjson from 'superjson';
import { ErrorCode, RemoteMediaError, type DeployMessage, type DropCause, type NodePackage, type WelcomeMessage } from '@remotemedia/shared';
import type { EdgeNode, EdgeNodeKind, SandboxedEdgeNode } from '../nodes/EdgeNode.ts';
import type { PersistedNode } from '../persistence/StateStore.ts';
import { DeployedNode, type NodeOrigin } from './DeployedNode.ts';
import { FrameClock } from './FrameClock.ts';
import { NodeFactory, type NodeFactoryOptions, type SandboxSpec } from './NodeFactory.ts';
import { NodePersistence, type NodePersistenceOptions, type SnapshotTrigger } from './NodePersistence.ts';
import type { PackageCache } from './PackageCache.ts';

export interface NodeTableOptions extends Omit<NodePersistenceOptions, 'builtins'>, Omit<NodeFactoryOptions, 'savedState'> {
  packages: PackageCache;
  maxQueuedFrames: number;
  /** A node's frame deadline unless its deploy/create sets one (0: none). */
  frameDeadlineMs: number;
  /** Sandboxed nodes this session may hold at once. */
  maxSandboxes: number;
  /** Built-in nodes this session may hold at once. */
  maxBuiltins: number;
  /** True once the session is ending: a node finished meanwhile is disposed again. */
  isClosing(): boolean;
}

/** What a create or deploy replies. */
export interface InstalledNode {
  nodeName: string;
  methods: readonly string[];
}

/** Each kind's budget per session, and what refusing one more says. */
const BUDGETS = {
  sandboxed: {
    option: 'maxSandboxes',
    code: ErrorCode.TooManySandboxes,
    noun: 'sandboxed node',
    setting: 'maxSandboxesPerSession',
    verb: 'deploying',
  },
  builtin: { option: 'maxBuiltins', code: ErrorCode.TooManyBuiltins, noun: 'built-in node', setting: 'maxBuiltinsPerSession', verb: 'creating' },
} as const;

export function unknownNode(nodeId: string): RemoteMediaError {
  return new RemoteMediaError(ErrorCode.UnknownNodeInstance, `no node "${nodeId}" is deployed in this session (deploy it first, or it was disposed)`);
}

/**
 * A session's nodes by id: installed within the session's budget for each kind, answering requests about
 * them, disposed one by one or all at once, listed for `welcome` and /status, and their state persisted.
 */
export class NodeTable {
  private readonly options: NodeTableOptions;
  private readonly persistence: NodePersistence;
  private readonly factory: NodeFactory;
  private readonly nodes = new Map<string, DeployedNode>();
  /** Node ids being created, so two concurrent deploys cannot take the same id or exceed a budget. */
  private readonly pendingIds = new Set<string>();
  private readonly pending: Record<EdgeNodeKind, number> = { sandboxed: 0, builtin: 0 };
  /** The client's clock as this session's frames show it: one per session, shared by its nodes. */
  private readonly clock = new FrameClock();

  constructor(options: NodeTableOptions) {
    this.options = options;
    this.persistence = new NodePersistence(options);
    this.factory = new NodeFactory({ ...options, savedState: (nodeId) => this.persistence.load(nodeId) });
  }

  get size(): number {
    return this.nodes.size;
  }

  get(nodeId: string): DeployedNode | undefined {
    return this.nodes.get(nodeId);
  }

  /** The nodes a (resumed) client is told it holds. */
  welcomeList(): WelcomeMessage['nodes'] {
    return [...this.nodes.values()].map((deployed) => ({ nodeId: deployed.nodeId, nodeName: deployed.name, methods: deployed.node.methods }));
  }

  /** For /status. */
  describe(): Array<Record<string, unknown>> {
    return [...this.nodes.values()].map((deployed) => ({
      nodeId: deployed.nodeId,
      nodeName: deployed.name,
      // /status has always called it 'sandbox'.
      kind: deployed.node.kind === 'sandboxed' ? 'sandbox' : 'builtin',
      ...(deployed.node.kind === 'sandboxed' ? { worker: deployed.node.placement } : {}),
      persistent: deployed.persistent,
      packageId: deployed.origin?.packageId,
      framesIn: deployed.framesIn,
      framesOut: deployed.framesOut,
      framesDropped: deployed.framesDropped,
      framesExpired: deployed.framesExpired,
    }));
  }

  /** The live sandboxes, for /status and /metrics. */
  sandboxes(): Array<{ nodeId: string; nodeName: string; node: SandboxedEdgeNode }> {
    const list: Array<{ nodeId: string; nodeName: string; node: SandboxedEdgeNode }> = [];
    for (const { nodeId, name, node } of this.nodes.values()) {
      if (node.kind === 'sandboxed' && !node.disposed) list.push({ nodeId, nodeName: name, node });
    }
    return list;
  }

  /** A packed user node in a new sandbox; with `persist`, durable from the reply on. */
  async deploy(message: DeployMessage): Promise<InstalledNode> {
    const pkg = message.pkg
      ? await this.options.packages.add(message.pkg, message.packageId)
      : await this.options.packages.resolve(message.packageId);
    // Off the main thread: decoding client state costs time that grows with what the client sent.
    const state = message.state === undefined ? undefined : await this.options.builtins.decodeState(message.state, 'deploy.state');
    const persistent = message.persist === true;
    const info = await this.installSandbox(
      message.nodeId,
      { pkg, ctorArgs: message.ctorArgs ? [...message.ctorArgs] : [], state, persistent },
      message.deadlineMs,
    );
    if (persistent) {
      // A crash right after the deploy still brings the node back.
      const deployed = this.require(message.nodeId);
      try {
        await this.persistence.savePackage(pkg);
        await this.persistence.save(deployed, 'deploy');
      } catch (error) {
        this.nodes.delete(message.nodeId);
        await deployed.node.dispose();
        throw new RemoteMediaError(
          ErrorCode.Internal,
          `the node was created but its state could not be written to the edge's data directory: ${(error as Error).message}`,
        );
      }
    }
    return info;
  }

  /** A catalogue node in the built-in worker. */
  create(nodeId: string, name: string, config: unknown, deadlineMs?: number): Promise<InstalledNode> {
    return this.install(nodeId, 'builtin', () => this.factory.builtin(nodeId, name, config), undefined, deadlineMs);
  }

  /** Rebuilds a persisted node from its package and saved fields (the constructor is not run). */
  async restore(record: PersistedNode, pkg: NodePackage): Promise<void> {
    const state = await this.persistence.decode(record);
    await this.installSandbox(record.nodeId, { pkg, state, persistent: true });
  }

  call(nodeId: string, method: string, args: unknown[]): Promise<unknown> {
    return this.require(nodeId).node.call(method, args);
  }

  /** What the node still holds, once every frame queued before this has been processed. */
  async flush(nodeId: string): Promise<unknown[]> {
    const deployed = this.require(nodeId);
    await deployed.whenIdle();
    return deployed.node.flush();
  }

  /** The node's state, superjson-serialized. */
  async snapshot(nodeId: string): Promise<unknown> {
    const { node, name } = this.require(nodeId);
    if (node.snapshot === undefined) throw new RemoteMediaError(ErrorCode.InvalidInput, `built-in node "${name}" has no instance state to snapshot`);
    return superjson.serialize(await node.snapshot());
  }

  save(nodeId: string): Promise<{ savedAt: string }> {
    return this.persistence.save(this.require(nodeId), 'save');
  }

  async dispose(nodeId: string): Promise<null> {
    const deployed = this.require(nodeId);
    this.nodes.delete(nodeId);
    deployed.abandon('node-gone', 'node disposed');
    await deployed.node.dispose();
    if (deployed.persistent) await this.persistence.remove(deployed.nodeId);
    return null;
  }

  /** Resolves once every frame queued so far has been processed. */
  async drain(): Promise<void> {
    await Promise.all([...this.nodes.values()].map((deployed) => deployed.whenIdle()));
  }

  /** Writes every persistent node's state; resolves with how many were written. */
  snapshotPersistent(trigger: SnapshotTrigger): Promise<number> {
    return this.persistence.saveAll(
      [...this.nodes.values()].filter((deployed) => deployed.persistent),
      trigger,
    );
  }

  /** The session ended: queued frames are reported dropped and every node is disposed; resolves once all are. */
  disposeAll(reason: string): Promise<unknown> {
    for (const deployed of this.nodes.values()) deployed.abandon('session-closed', `session closed: ${reason}`);
    const disposed = [...this.nodes.values()].map((deployed) => deployed.node.dispose());
    this.nodes.clear();
    return Promise.allSettled(disposed);
  }

  private require(nodeId: string): DeployedNode {
    const deployed = this.nodes.get(nodeId);
    if (deployed === undefined) throw unknownNode(nodeId);
    return deployed;
  }

  private installSandbox(nodeId: string, spec: SandboxSpec, deadlineMs?: number): Promise<InstalledNode> {
    return this.install(
      nodeId,
      'sandboxed',
      () => this.factory.sandboxed(nodeId, spec),
      { packageId: spec.pkg.id, persistent: spec.persistent },
      deadlineMs,
    );
  }

  /**
   * Creates a node under a fresh id within its kind's budget, disposing it again if the session closed
   * meanwhile. The id and the budget slot are held only while the node is being created.
   */
  private async install(
    nodeId: string,
    kind: EdgeNodeKind,
    create: () => Promise<EdgeNode>,
    origin?: NodeOrigin,
    deadlineMs = this.options.frameDeadlineMs,
  ): Promise<InstalledNode> {
    const budget = BUDGETS[kind];
    const max = this.options[budget.option];
    if (this.count(kind) >= max) {
      this.options.metrics.deploy('error');
      throw new RemoteMediaError(
        budget.code,
        `this session already holds ${max} ${budget.noun}${max === 1 ? '' : 's'} (the edge's ${budget.setting}); dispose one before ${budget.verb} another`,
      );
    }
    if (this.nodes.has(nodeId) || this.pendingIds.has(nodeId)) {
      throw new RemoteMediaError(ErrorCode.InvalidInput, `node id "${nodeId}" is already in use in this session`);
    }
    this.pendingIds.add(nodeId);
    this.pending[kind]++;
    let node: EdgeNode;
    try {
      node = await create();
    } catch (error) {
      this.options.metrics.deploy('error');
      throw error;
    } finally {
      this.pendingIds.delete(nodeId);
      this.pending[kind]--;
    }
    if (this.options.isClosing()) {
      await node.dispose();
      throw new RemoteMediaError(ErrorCode.SessionClosed, 'the session closed while the node was being created');
    }
    const { maxQueuedFrames } = this.options;
    this.nodes.set(nodeId, new DeployedNode({ nodeId, node, maxQueuedFrames, deadlineMs, clock: this.clock, observer: this.frameObserver, origin }));
    this.options.metrics.deploy('ok');
    this.options.log.info('node created', { session: this.options.sessionId, node: node.name, persistent: origin?.persistent ?? false });
    return { nodeName: node.name, methods: node.methods };
  }

  /** Nodes of `kind` held or being created. */
  private count(kind: EdgeNodeKind): number {
    let count = this.pending[kind];
    for (const deployed of this.nodes.values()) if (deployed.node.kind === kind) count++;
    return count;
  }

  private readonly frameObserver = {
    frameIn: (name: string) => this.options.metrics.frameIn(name),
    frameOut: (name: string, seconds: number) => this.options.metrics.frameOut(name, seconds),
    frameFailed: (name: string, seconds: number, code: string) => {
      this.options.metrics.frameFailed(name, seconds);
      this.options.metrics.error(code);
    },
    frameDropped: (name: string, cause: DropCause) => this.options.metrics.frameDropped(name, cause),
  };
}

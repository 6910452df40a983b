import { ErrorCode, RemoteMediaError, type NodePackage, type WelcomeMessage } from '@remotemedia/shared';
import type { CreateOptions, DeployOptions } from './DeployOptions.ts';
import type { EdgeRequests, RequestHow } from './EdgeRequests.ts';
import type { NodeChannel, NodeRef, NodeRequestType } from './NodeChannel.ts';
import { RemoteNode, type DeployedNodeInfo } from './RemoteNode.ts';

/** How a node was made, so it can be made again on an edge that lost it. `kind` says what the node is. */
type NodeRecipe =
  | { kind: 'sandboxed'; pkg: NodePackage; options: DeployOptions }
  | { kind: 'builtin'; name: string; config: Record<string, unknown>; options: CreateOptions };

/** Sources up to this size are sent with a package's first deploy in a session instead of after a refusal. */
const INLINE_PACKAGE_BYTES = 64 * 1024;

/**
 * The session's nodes: their handles and ids, and the recipe each was made from, so an edge that lost the
 * session gets every node again under its old id. It is also the channel the handles talk through.
 */
export class NodeTable implements NodeChannel {
  private readonly requests: EdgeRequests;
  private readonly isClosed: () => boolean;
  /** The session's `frameDeadlineMs`: a node's deadline unless its own options set one. */
  private readonly frameDeadlineMs: number | undefined;
  private readonly handles = new Map<string, RemoteNode>();
  private readonly recipes = new Map<string, NodeRecipe>();
  /** Packages this session has deployed: the edge has them cached, so they are asked for by id alone. */
  private readonly deployedPackages = new Set<string>();
  private nextNodeId = 1;

  constructor(requests: EdgeRequests, isClosed: () => boolean, frameDeadlineMs?: number) {
    this.requests = requests;
    this.isClosed = isClosed;
    this.frameDeadlineMs = frameDeadlineMs;
  }

  /** Live node handles by id, including nodes restored by a resume. */
  get nodes(): ReadonlyMap<string, RemoteNode> {
    return this.handles;
  }

  /** A packed user class, run in a sandbox on the edge. */
  deploy(pkg: NodePackage, options: DeployOptions): Promise<RemoteNode> {
    return this.install({ kind: 'sandboxed', pkg, options });
  }

  /** A built-in catalogue node, by name. */
  create(name: string, config: Record<string, unknown>, options: CreateOptions = {}): Promise<RemoteNode> {
    return this.install({ kind: 'builtin', name, config, options });
  }

  /** Handles for the nodes a resumed session still holds, as listed in `welcome`; new ids stay unique. */
  adopt(restored: WelcomeMessage['nodes']): void {
    for (const { nodeId, nodeName, methods } of restored) {
      if (this.handles.has(nodeId)) continue;
      this.handles.set(nodeId, new RemoteNode(this, nodeId, { nodeName, methods: [...methods] }));
      const counter = /^n(\d+)$/.exec(nodeId);
      if (counter) this.nextNodeId = Math.max(this.nextNodeId, Number(counter[1]) + 1);
    }
  }

  /** Makes every node with a recipe again, but those the edge still has (`present`); resolves with how many. */
  async recreate(present: ReadonlySet<string>): Promise<number> {
    let count = 0;
    for (const [nodeId, recipe] of this.recipes) {
      if (present.has(nodeId)) continue;
      await this.make(nodeId, recipe, { internal: true });
      count++;
    }
    return count;
  }

  process(node: NodeRef, item: unknown, capturedAt?: number): Promise<unknown[]> {
    return this.requests.sendFrame(node, item, capturedAt);
  }

  call(node: NodeRef, method: string, args: unknown[]): Promise<unknown> {
    return this.requests.requestFor(node, { type: 'call', nodeId: node.nodeId, method, args });
  }

  request(node: NodeRef, type: NodeRequestType): Promise<unknown> {
    return this.requests.requestFor(node, { type, nodeId: node.nodeId });
  }

  async dispose(node: NodeRef): Promise<void> {
    this.handles.delete(node.nodeId);
    this.recipes.delete(node.nodeId);
    if (this.isClosed()) return;
    await this.requests.request({ type: 'dispose', nodeId: node.nodeId });
  }

  private async install(recipe: NodeRecipe): Promise<RemoteNode> {
    const nodeId = `n${this.nextNodeId++}`;
    const info = await this.make(nodeId, recipe);
    this.recipes.set(nodeId, recipe);
    const node = new RemoteNode(this, nodeId, info);
    this.handles.set(nodeId, node);
    return node;
  }

  private async make(nodeId: string, recipe: NodeRecipe, how: RequestHow = {}): Promise<DeployedNodeInfo> {
    const deadlineMs = recipe.options.deadlineMs ?? this.frameDeadlineMs;
    const deadline = deadlineMs === undefined ? {} : { deadlineMs };
    if (recipe.kind === 'builtin') {
      return (await this.requests.request(
        { type: 'create', nodeId, name: recipe.name, config: recipe.config, ...deadline },
        how,
      )) as DeployedNodeInfo;
    }
    const { pkg, options } = recipe;
    const base = {
      type: 'deploy' as const,
      nodeId,
      packageId: pkg.id,
      ctorArgs: options.ctorArgs ?? [],
      ...(options.state ? { state: options.state } : {}),
      ...(options.persist ? { persist: true } : {}),
      ...deadline,
    };
    // A small package this session never deployed goes along at once: the round trip of asking by id first
    // would cost more than its bytes. Others are asked for by id alone first, so a package the edge has cached
    // (from this session or another) never crosses the wire again.
    if (!this.deployedPackages.has(pkg.id) && pkg.manifest.totalSize <= INLINE_PACKAGE_BYTES) {
      const info = (await this.requests.request({ ...base, pkg }, how)) as DeployedNodeInfo;
      this.deployedPackages.add(pkg.id);
      return info;
    }
    try {
      return (await this.requests.request(base, how)) as DeployedNodeInfo;
    } catch (error) {
      if (!(error instanceof RemoteMediaError) || error.code !== ErrorCode.UnknownPackage) throw error;
      return (await this.requests.request({ ...base, pkg }, how)) as DeployedNodeInfo;
    }
  }
}

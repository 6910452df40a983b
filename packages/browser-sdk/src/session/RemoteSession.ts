import {
  DEFAULT_SCTP_CHUNK_BYTES,
  TypedEmitter,
  buildGraph,
  buildPipeline,
  type BuildPipelineOptions,
  type BuiltinNodeIO,
  type BuiltinNodeName,
  type NodeDescriptor,
  type NodeInput,
  type NodeOutput,
  type NodePackage,
  type Pipeline,
  type PipelineGraph,
  type TransportKind,
} from '@remotemedia/shared';
import superjson from 'superjson';
import type { ModuleSupport } from '../remote/ModuleSupport.ts';
import { packRemoteTarget } from '../remote/packRemoteTarget.ts';
import { createRemoteObject, type RemoteObject } from '../remote/RemoteObject.ts';
import type { RemoteTarget } from '../remote/RemoteTarget.ts';
import { DeferredRemoteNode } from './DeferredRemoteNode.ts';
import { ClockSync } from './ClockSync.ts';
import type { CreateOptions, DeployOptions } from './DeployOptions.ts';
import { EdgeDispatcher } from './EdgeDispatcher.ts';
import { EdgeRequests } from './EdgeRequests.ts';
import { NodeTable } from './NodeTable.ts';
import type { RemoteNode } from './RemoteNode.ts';
import type { RemoteSessionEvents } from './RemoteSessionEvents.ts';
import { SessionConnection } from './SessionConnection.ts';
import type { ClientChannel, ReconnectOptions, SessionLink } from './SessionLink.ts';
import type { SessionStats } from './SessionStats.ts';
import type { VideoFrameCodecLoader } from './VideoFrameCodec.ts';
import { VideoWire, type VideoOptions } from './VideoWire.ts';

export type { DeployOptions } from './DeployOptions.ts';
export type { RemoteSessionEvents } from './RemoteSessionEvents.ts';

export interface SessionOptions {
  requestTimeoutMs?: number;
  reconnect?: ReconnectOptions | false;
  /** Locating and packing classes for `remote()`; without it, `remote()` needs a `{ module, exportName }` target. */
  modules?: ModuleSupport;
  /**
   * Frame deadline for this session's nodes, ms from capture (0: never skip for age); a node's own `deadlineMs`
   * wins. Default: the edge's `frameDeadlineMs` (1000 ms unless configured).
   */
  frameDeadlineMs?: number;
  /** How video frames travel (compressed or raw) and adapt to the round trip. */
  video?: VideoOptions;
  /** The runtime's video codec (each entry supplies its own), loaded on the first compressed frame. */
  videoCodec?: VideoFrameCodecLoader;
}

/**
 * A connection to one edge: deploys nodes, sends frames, calls methods, keeps stats. It composes the
 * connection (channels, reconnect), the requests in flight, the node table and the dispatcher of edge messages.
 */
export class RemoteSession {
  private readonly modules: ModuleSupport | undefined;
  private readonly events = new TypedEmitter<RemoteSessionEvents>();
  private readonly connection: SessionConnection;
  private readonly requests: EdgeRequests;
  private readonly table: NodeTable;
  private readonly dispatcher: EdgeDispatcher;
  private readonly clockSync: ClockSync;
  private readonly video: VideoWire;

  private constructor(link: SessionLink, signaling: ClientChannel, edge: string, options: SessionOptions) {
    this.modules = options.modules;
    // The hooks run only once channels deliver events, which is after this constructor has finished.
    this.connection = new SessionConnection(link, signaling, edge, options.reconnect, this.events, {
      message: (message) => this.dispatcher.handle(message),
      invalid: (error) => this.dispatcher.invalid(error),
      welcomed: (welcome, exchange) => {
        this.table.adopt(welcome.nodes);
        this.requests.clock.sample(exchange.sentAt, welcome.edgeTime, exchange.receivedAt);
        this.clockSync.restart();
      },
      dropped: (error) => this.requests.rejectAll(error, { lost: true }),
      recreate: (present) => this.table.recreate(present),
      closing: (error) => {
        this.clockSync.stop();
        this.requests.rejectAll(error, { lost: false });
      },
    });
    this.clockSync = new ClockSync(() => this.requests.ping());
    this.video = new VideoWire(
      options.video ?? {},
      options.videoCodec,
      () => this.connection.transport,
      () => this.connection.welcome,
      () => (this.connection.sctpChunkBytes ?? 0) > DEFAULT_SCTP_CHUNK_BYTES,
    );
    this.requests = new EdgeRequests(this.connection, options.requestTimeoutMs ?? 30_000, this.video);
    this.table = new NodeTable(this.requests, () => this.connection.closed, options.frameDeadlineMs);
    this.dispatcher = new EdgeDispatcher(this.connection, this.requests, this.events);
  }

  /** Opens a session: signaling, handshake (resuming if given a token), then the data channel if wanted. */
  static async open(link: SessionLink, options: SessionOptions & { resumeToken?: string } = {}): Promise<RemoteSession> {
    const { channel, edge } = await openFirstReachable(link);
    const session = new RemoteSession(link, channel, edge, options);
    try {
      await session.connection.establish(options.resumeToken);
      return session;
    } catch (error) {
      session.close();
      throw error;
    }
  }

  get sessionId(): string | undefined {
    return this.connection.welcome?.sessionId;
  }

  get transport(): TransportKind {
    return this.connection.transport;
  }

  get closed(): boolean {
    return this.connection.closed;
  }

  /** Why the session is on the WebSocket although it wanted the data channel, else undefined. */
  get fallbackReason(): string | undefined {
    return this.connection.fallbackReason;
  }

  /** Present it to `connect(url, { resumeToken })` to get this session (and its nodes) back. Secret. */
  get resumeToken(): string | undefined {
    return this.connection.welcome?.resumeToken;
  }

  /** True when `connect` reattached to an existing session. */
  get resumed(): boolean {
    return this.connection.welcome?.resumed ?? false;
  }

  /** Live node handles by id, including nodes restored by a resume. */
  get nodes(): ReadonlyMap<string, RemoteNode> {
    return this.table.nodes;
  }

  /** Subscribes to a session event; the returned function unsubscribes this one subscription (idempotent). */
  on<K extends keyof RemoteSessionEvents>(event: K, listener: RemoteSessionEvents[K]): () => void {
    return this.events.on(event, listener);
  }

  /**
   * Deploys a packed user node; the package crosses the wire only if the edge does not have it yet.
   * `state` (superjson-serialized own fields) restores an instance without running its constructor;
   * `persist` keeps its state on the edge's disk across edge restarts. Name the packed class's type to get a
   * typed handle: `deploy<typeof Invert>(pkg)` is a `RemoteNode<VideoFrameData, VideoFrameData>`.
   */
  deploy<N = unknown>(pkg: NodePackage, options: DeployOptions = {}): Promise<RemoteNode<NodeInput<N>, NodeOutput<N>>> {
    return this.table.deploy(pkg, options) as Promise<RemoteNode<NodeInput<N>, NodeOutput<N>>>;
  }

  /**
   * Runs an object on the edge and returns a proxy whose methods are async remote calls; its state lives
   * in the sandbox between calls.
   * - `remote(SimpleCalculator, ...ctorArgs)`: constructed on the edge.
   * - `remote(instance)`: ships the instance's own fields (Map, Set, Date, BigInt, typed arrays, nested
   *   objects) so the remote copy starts with the same state; its constructor is not run again.
   * - `remote({ module: new URL('./calc.js', import.meta.url), exportName: 'SimpleCalculator' }, ...ctorArgs)`.
   * The class's module and every local module it imports are packed and sent (once per edge). Given a class,
   * the proxy is typed from it (its constructor's arguments checked); otherwise name the type: `remote<Calc>(...)`.
   */
  remote<C extends abstract new (...args: any[]) => object>(cls: C, ...ctorArgs: ConstructorParameters<C>): Promise<RemoteObject<InstanceType<C>>>;
  remote<T extends object>(target: RemoteTarget, ...ctorArgs: unknown[]): Promise<RemoteObject<T>>;
  async remote<T extends object>(target: RemoteTarget, ...ctorArgs: unknown[]): Promise<RemoteObject<T>> {
    const { pkg, options } = await packRemoteTarget(target, ctorArgs, this.modules);
    const node = await this.deploy(pkg, options);
    return createRemoteObject<T>(node, async () => superjson.deserialize((await node.snapshot()) as never));
  }

  /**
   * Creates a built-in catalogue node on the edge by name; the edge validates the config. A name written out
   * gives a typed handle (`node('Resample')` takes and yields AudioFrameData).
   */
  node<K extends BuiltinNodeName>(
    name: K,
    config?: Record<string, unknown>,
    options?: CreateOptions,
  ): Promise<RemoteNode<BuiltinNodeIO<K>['input'], BuiltinNodeIO<K>['output']>>;
  node(name: string, config?: Record<string, unknown>, options?: CreateOptions): Promise<RemoteNode>;
  node(name: string, config: Record<string, unknown> = {}, options: CreateOptions = {}): Promise<RemoteNode> {
    return this.table.create(name, config, options);
  }

  /**
   * Builds a Pipeline from a JSON manifest (validated, errors point at the offending path). Nodes placed
   * `remote` run natively on this edge; the others run here.
   */
  loadPipeline(manifest: unknown, options: Omit<BuildPipelineOptions, 'createRemote'> = {}): Pipeline {
    return buildPipeline(manifest, {
      ...options,
      createRemote: (name, config) => this.deferredNode(name, config),
    });
  }

  /** A manifest's remote node: created on the edge when the pipeline initializes, not while it is built. */
  private deferredNode(name: string, config: Record<string, unknown>): DeferredRemoteNode {
    return new DeferredRemoteNode(name, () => this.node(name, config));
  }

  /**
   * Builds a PipelineGraph from a JSON manifest with `connections` (branches and joins; a chain manifest
   * becomes a one-branch graph). Nodes placed `remote` run natively on this edge, the others run here; each
   * connection keeps its own queue and drop policy.
   */
  loadGraph(manifest: unknown, options: Omit<BuildPipelineOptions, 'createRemote'> = {}): PipelineGraph {
    return buildGraph(manifest, { ...options, createRemote: (name, config) => this.deferredNode(name, config) });
  }

  /** The edge's node catalogue: names, descriptions, config schemas with defaults, input/output kinds. */
  async listNodes(): Promise<NodeDescriptor[]> {
    return (await this.requests.request({ type: 'list-nodes' })) as NodeDescriptor[];
  }

  stats(): SessionStats {
    return {
      state: this.connection.state,
      transport: this.connection.transport,
      fallbackReason: this.connection.fallbackReason,
      sctpChunkBytes: this.connection.sctpChunkBytes,
      reconnects: this.connection.reconnects,
      edgeUrl: this.connection.edge,
      ...this.requests.stats(),
      ...this.connection.bytes,
      video: this.video.stats(),
    };
  }

  /**
   * Closes the session; every pending request and frame is rejected with SESSION_CLOSED. Idempotent.
   * By default the edge is told to free everything now. `resumable` only drops the connection: the edge
   * keeps the session (nodes and state) for its grace period, and `resumeToken` gets it back, e.g. from
   * the next page.
   */
  close(options: { resumable?: boolean } = {}): void {
    this.connection.close(options.resumable ?? false);
    this.video.close();
  }
}

/** The signaling socket of the first edge in the list that answers; the last edge's error when none does. */
async function openFirstReachable(link: SessionLink): Promise<{ channel: ClientChannel; edge: string }> {
  let lastError: unknown;
  for (const edge of link.edges) {
    try {
      return { channel: await link.openSignaling(edge), edge };
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

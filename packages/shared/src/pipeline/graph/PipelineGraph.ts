import { ErrorCode } from '../../errors/ErrorCode.ts';
import { RemoteMediaError } from '../../errors/RemoteMediaError.ts';
import { ValidationError } from '../../nodes/schema/ValidationError.ts';
import type { PipelineOptions } from '../Pipeline.ts';
import type { PipelineEventName, PipelineListener } from '../PipelineEvents.ts';
import type { PipelineNode } from '../PipelineNode.ts';
import { DEFAULT_QUEUE_OPTIONS } from '../QueueOptions.ts';
import type { QueueOptions } from '../QueueOptions.ts';
import type { Stage } from '../Stage.ts';
import { stageStats } from '../Stage.ts';
import { StageLifecycle, checkCapacity, checkNode, resolveQueueOptions } from '../StageLifecycle.ts';
import { drainRun } from '../drainRun.ts';
import { describeGraph } from './describeGraph.ts';
import type { GraphConnectionState, GraphOutput, GraphResult, GraphStats } from './GraphOutput.ts';
import { GraphRun } from './GraphRun.ts';
import { GRAPH_INPUT, JOIN_POLICIES, checkTopology, type JoinPolicy, type Topology } from './GraphTopology.ts';
import { timestampOf } from './InputJoin.ts';

export interface GraphNodeOptions {
  /** How a node with several inputs takes them (default `arrival`); see `JoinPolicy`. */
  join?: JoinPolicy;
  /** Default queue of every connection into this node; `connect(..., { queue })` overrides it per connection. */
  queue?: Partial<QueueOptions>;
}

export interface ConnectOptions {
  /** This connection's own queue: its capacity and whether a full queue blocks the producer or drops the oldest. */
  queue?: Partial<QueueOptions>;
}

interface GraphNodeEntry {
  readonly id: string;
  readonly stage: Stage;
  readonly join: JoinPolicy | undefined;
  readonly queue: QueueOptions;
}

interface Built {
  readonly topology: Topology;
  readonly connections: GraphConnectionState[];
}

/**
 * Nodes joined by named connections: one stream may fan out to several branches (each connection with its own
 * bounded queue and drop policy, so a slow branch can drop frames while another keeps every one) and branches
 * may join again (by arrival, by timestamp or zipped). Items enter at `input`; nodes without outgoing
 * connections are the outputs.
 *
 *     const graph = new PipelineGraph()
 *       .add('gray', grayscale).add('motion', motion)
 *       .connect('input', 'gray')
 *       .connect('input', 'motion', { queue: { capacity: 2, policy: 'drop-oldest' } });
 *     for await (const { node, item } of graph.stream(camera)) draw(node, item);
 *
 * The shape is checked on first use (cycles, unknown ids, nodes with no input: every problem at once, typed
 * INVALID_INPUT). Lifecycle, errors and `process`/`flush`/`stream`/`close` behave as in `Pipeline`; nodes are
 * initialized in an order where each comes after its inputs, and cleaned up in reverse.
 */
export class PipelineGraph {
  private readonly core = new StageLifecycle();
  private readonly entries = new Map<string, GraphNodeEntry>();
  private readonly wanted: { from: string; to: string; queue?: Partial<QueueOptions> }[] = [];
  private readonly defaults: QueueOptions;
  private readonly outputCapacity: number;
  private built: Built | undefined;
  /** Items a zip join holds in `process` mode until every input of the node has one. */
  private readonly zipPending = new Map<string, Map<string, unknown[]>>();

  constructor(options: PipelineOptions = {}) {
    this.defaults = resolveQueueOptions(DEFAULT_QUEUE_OPTIONS, options.queue, 'options.queue');
    this.outputCapacity = options.outputCapacity ?? DEFAULT_QUEUE_OPTIONS.capacity;
    checkCapacity(this.outputCapacity, 'options.outputCapacity');
  }

  add(id: string, node: PipelineNode, options: GraphNodeOptions = {}): this {
    checkNode(node);
    if (this.entries.has(id)) throw new RemoteMediaError(ErrorCode.InvalidInput, `add("${id}"): another node already has the id "${id}"`);
    if (options.join !== undefined && !JOIN_POLICIES.includes(options.join)) {
      throw new RemoteMediaError(
        ErrorCode.InvalidConfig,
        `add("${id}").join: must be one of ${JOIN_POLICIES.map((p) => `"${p}"`).join(', ')}, got ${JSON.stringify(options.join)}`,
      );
    }
    let queue = resolveQueueOptions(this.defaults, node.queue, `node "${id}" queue`);
    queue = resolveQueueOptions(queue, options.queue, `node "${id}" queue`);
    const stage = this.core.addStage(node, queue);
    this.entries.set(id, { id, stage, join: options.join, queue });
    this.built = undefined;
    return this;
  }

  connect(from: string, to: string, options: ConnectOptions = {}): this {
    if (this.core.started || this.core.closed) {
      throw new RemoteMediaError(ErrorCode.InvalidInput, `connect("${from}", "${to}"): the graph has already started`);
    }
    this.wanted.push({ from, to, ...(options.queue ? { queue: options.queue } : {}) });
    this.built = undefined;
    return this;
  }

  /** Nodes by id, in `add` order. */
  get nodes(): ReadonlyMap<string, PipelineNode> {
    return new Map([...this.entries].map(([id, entry]) => [id, entry.stage.node]));
  }

  get closed(): boolean {
    return this.core.closed;
  }

  on<K extends PipelineEventName>(name: K, listener: PipelineListener<K>): () => void {
    return this.core.events.on(name, listener);
  }

  stats(): GraphStats {
    return {
      nodes: [...this.entries.values()].map((entry) => {
        const depth = this.built?.connections.filter((c) => c.to === entry.id).reduce((sum, c) => sum + (c.live?.size ?? 0), 0) ?? 0;
        return { ...stageStats(entry.stage), id: entry.id, queueDepth: depth };
      }),
      connections: (this.built?.connections ?? []).map((c) => ({
        from: c.from,
        to: c.to,
        dropped: c.dropped,
        queueDepth: c.live?.size ?? 0,
        queueCapacity: c.queue.capacity,
        queuePolicy: c.queue.policy,
      })),
    };
  }

  /** The graph as text, a connection per line with queue and join, then the outputs. Checks the shape first. */
  describe(): string {
    const { topology } = this.build();
    return describeGraph(
      [...this.entries.values()].map((entry) => ({ id: entry.id, label: entry.stage.node.name })),
      this.wanted,
      topology,
    );
  }

  initialize(): Promise<void> {
    try {
      this.build();
    } catch (error) {
      return Promise.reject(error);
    }
    return this.core.initialize();
  }

  /** Runs one item through every branch; resolves to each output node's items by id. */
  process(item: unknown): Promise<GraphResult> {
    return this.core.exclusive(async () => {
      await this.initialize();
      return this.runOnce([item], false);
    });
  }

  /** Flushes every node in order, feeding what each emits through the rest of the graph. */
  flush(): Promise<GraphResult> {
    return this.core.exclusive(async () => {
      if (!this.core.started) return this.emptyResult();
      return this.runOnce([], true);
    });
  }

  /**
   * Streams `source` through the graph, yielding `{ node, item }` for each item an output node produces.
   * Breaking out of the loop stops the run; the graph closes when the run ends, however it ends.
   */
  stream(source: AsyncIterable<unknown> | Iterable<unknown>): AsyncGenerator<GraphOutput, void, undefined> {
    const built = this.build();
    return this.core.stream(() => {
      const stages = new Map([...this.entries].map(([id, entry]) => [id, entry.stage]));
      const run = new GraphRun(stages, built.connections, built.topology, this.core.events, this.outputCapacity);
      return drainRun(run, run.start(source), () => this.core.shutdown());
    });
  }

  async close(): Promise<void> {
    const error = await this.core.shutdown();
    if (error) throw error;
  }

  /** Checks the shape once (throws every issue), orders the stages for initialize and cleanup. */
  private build(): Built {
    if (this.built) return this.built;
    const ids = [...this.entries.values()];
    const check = checkTopology(
      ids.map((entry) => ({ id: entry.id, label: entry.stage.node.name, ...(entry.join ? { join: entry.join } : {}) })),
      this.wanted,
      { node: (index) => `add("${ids[index]!.id}")`, connection: (index) => `connect("${this.wanted[index]!.from}", "${this.wanted[index]!.to}")` },
    );
    if (!check.ok) throw new ValidationError(ErrorCode.InvalidInput, 'invalid pipeline graph', check.issues);
    const connections = this.wanted.map((wanted): GraphConnectionState => {
      const base = this.entries.get(wanted.to)!.queue;
      const queue = resolveQueueOptions(base, wanted.queue, `connect("${wanted.from}", "${wanted.to}") queue`);
      return { from: wanted.from, to: wanted.to, queue, dropped: 0, live: undefined };
    });
    const rank = new Map(check.topology.order.map((id, index) => [this.entries.get(id)!.stage, index]));
    this.core.stages.sort((a, b) => rank.get(a)! - rank.get(b)!);
    this.built = { topology: check.topology, connections };
    return this.built;
  }

  private async runOnce(items: readonly unknown[], flush: boolean): Promise<GraphResult> {
    const { topology, connections } = this.build();
    const produced = new Map<number, readonly unknown[]>();
    for (const index of topology.outgoing.get(GRAPH_INPUT)!) produced.set(index, items);
    const result = this.emptyResult();
    for (const id of topology.order) {
      const entry = this.entries.get(id)!;
      const inputs = topology.incoming.get(id)!.map((index) => ({ from: connections[index]!.from, items: produced.get(index) ?? [] }));
      const batch = this.joinBatch(entry, topology.joins.get(id), inputs, flush);
      const outputs = await this.core.runStage(entry.stage, batch, flush);
      for (const index of topology.outgoing.get(id)!) produced.set(index, outputs);
      if (id in result) result[id] = outputs;
    }
    return result;
  }

  /** A node's inputs for one `process`/`flush` step, joined as its policy says. */
  private joinBatch(
    entry: GraphNodeEntry,
    join: JoinPolicy | undefined,
    inputs: readonly { from: string; items: readonly unknown[] }[],
    flush: boolean,
  ): unknown[] {
    if (join === undefined || join === 'arrival') return inputs.flatMap((input) => input.items);
    if (join === 'timestamp') {
      return inputs.flatMap((input) => input.items).sort((a, b) => timestampOf(a) - timestampOf(b));
    }
    let pending = this.zipPending.get(entry.id);
    if (!pending) {
      pending = new Map(inputs.map((input) => [input.from, []]));
      this.zipPending.set(entry.id, pending);
    }
    for (const input of inputs) pending.get(input.from)!.push(...input.items);
    const pairs = Math.min(...[...pending.values()].map((queued) => queued.length));
    const records: unknown[] = [];
    for (let n = 0; n < pairs; n++) {
      records.push(Object.fromEntries([...pending].map(([from, queued]) => [from, queued.shift()])));
    }
    if (flush) this.dropUnmatched(entry, pending);
    return records;
  }

  /** At the end of the input, a zip's leftovers can never be paired: count and report them. */
  private dropUnmatched(entry: GraphNodeEntry, pending: Map<string, unknown[]>): void {
    for (const [from, queued] of pending) {
      const connection = this.built?.connections.find((c) => c.from === from && c.to === entry.id);
      for (const item of queued.splice(0)) {
        entry.stage.dropped++;
        if (connection) connection.dropped++;
        this.core.events.emit('drop', {
          nodeName: entry.stage.node.name,
          nodeIndex: entry.stage.index,
          item,
          totalDropped: entry.stage.dropped,
          from,
          unmatched: true,
        });
      }
    }
  }

  private emptyResult(): GraphResult {
    const result: GraphResult = {};
    for (const id of this.build().topology.sinks) result[id] = [];
    return result;
  }
}

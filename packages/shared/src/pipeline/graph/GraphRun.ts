import { BoundedQueue } from '../BoundedQueue.ts';
import { NodeError } from '../NodeError.ts';
import type { NodePhase } from '../NodeError.ts';
import type { PipelineEvents } from '../PipelineEvents.ts';
import { toAcceptedFormat } from '../acceptedFormats.ts';
import type { NodeResult } from '../PipelineNode.ts';
import type { Stage } from '../Stage.ts';
import { forEachResult } from '../nodeOutput.ts';
import type { GraphConnectionState, GraphOutput } from './GraphOutput.ts';
import { GRAPH_INPUT, type Topology } from './GraphTopology.ts';
import { createInputReader } from './InputJoin.ts';

/**
 * One streaming run of a graph: a bounded queue on every connection (its own capacity and policy), one worker
 * per node reading its inputs through its join, and a pump feeding the connections out of `input`. A node whose
 * inputs have all ended is flushed and closes its outgoing connections, so the end of the source reaches every
 * branch; the run's output closes once every sink has finished.
 */
export class GraphRun {
  readonly output: BoundedQueue<GraphOutput>;
  /** First failure (a NodeError, or whatever the source threw). */
  error: unknown = undefined;
  private aborted = false;
  private sourceIterator: AsyncIterator<unknown> | Iterator<unknown> | undefined;
  private openSinks: number;

  constructor(
    private readonly stages: ReadonlyMap<string, Stage>,
    private readonly connections: readonly GraphConnectionState[],
    private readonly topology: Topology,
    private readonly events: PipelineEvents,
    outputCapacity: number,
  ) {
    this.output = new BoundedQueue(outputCapacity, 'block');
    this.openSinks = topology.sinks.length;
    for (const connection of connections) connection.live = new BoundedQueue(connection.queue.capacity, connection.queue.policy);
  }

  /** Settles (never rejects) when every worker has finished or the run was aborted. */
  start(source: AsyncIterable<unknown> | Iterable<unknown>): Promise<void> {
    return Promise.all([this.pump(source), ...this.topology.order.map((id) => this.work(id))]).then(() => undefined);
  }

  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    for (const connection of this.connections) connection.live?.abort();
    this.output.abort();
    const iterator = this.sourceIterator;
    if (iterator?.return) {
      // The source's own cleanup failing must not mask the reason we stopped.
      Promise.resolve()
        .then(() => iterator.return?.())
        .catch(() => undefined);
    }
  }

  detach(): void {
    for (const connection of this.connections) connection.live = undefined;
  }

  private async pump(source: AsyncIterable<unknown> | Iterable<unknown>): Promise<void> {
    try {
      const iterator =
        Symbol.asyncIterator in source
          ? (source as AsyncIterable<unknown>)[Symbol.asyncIterator]()
          : (source as Iterable<unknown>)[Symbol.iterator]();
      this.sourceIterator = iterator;
      while (!this.aborted) {
        const next = await iterator.next();
        if (next.done || this.aborted) break;
        if (!(await this.deliver(GRAPH_INPUT, next.value))) break;
      }
    } catch (error) {
      this.fail(error);
    } finally {
      this.closeOutgoing(GRAPH_INPUT);
    }
  }

  private async work(id: string): Promise<void> {
    const stage = this.stages.get(id)!;
    const inputs = this.topology.incoming.get(id)!.map((index) => {
      const connection = this.connections[index]!;
      return { from: connection.from, queue: connection.live! };
    });
    const reader = createInputReader(inputs, this.topology.joins.get(id), (from, item) => this.unmatched(id, stage, from, item));
    const emit = (item: unknown): Promise<boolean> => {
      stage.emitted++;
      return this.deliver(id, item);
    };
    for (;;) {
      const next = await reader.next();
      if (next.done) break;
      const node = stage.node;
      const ok = node.process
        ? await this.call(stage, 'process', () => node.process!(toAcceptedFormat(next.value, stage.accepts)), emit)
        : await emit(next.value);
      if (!ok || this.aborted) return;
      stage.processed++;
    }
    if (this.aborted) return;
    if (stage.node.flush && !(await this.call(stage, 'flush', () => stage.node.flush!(), emit))) return;
    this.closeOutgoing(id);
  }

  private async call(
    stage: Stage,
    phase: NodePhase,
    run: () => NodeResult<unknown> | Promise<NodeResult<unknown>>,
    emit: (item: unknown) => Promise<boolean>,
  ): Promise<boolean> {
    let delivered = true;
    try {
      await forEachResult(run(), async (item) => (delivered = await emit(item)));
      return delivered && !this.aborted;
    } catch (error) {
      stage.errors++;
      this.fail(new NodeError(stage.node.name, stage.index, phase, error));
      return false;
    }
  }

  /** Hands an item to every connection out of `from` (or to the output, for a sink); false once the run stops. */
  private async deliver(from: string, item: unknown): Promise<boolean> {
    const outgoing = this.topology.outgoing.get(from)!;
    if (outgoing.length === 0) return (await this.output.push({ node: from, item })).status !== 'refused';
    for (const index of outgoing) {
      const connection = this.connections[index]!;
      const result = await connection.live!.push(item);
      if (result.status === 'refused') return false;
      if (result.status === 'dropped') {
        connection.dropped++;
        const stage = this.stages.get(connection.to)!;
        stage.dropped++;
        this.events.emit('drop', {
          nodeName: stage.node.name,
          nodeIndex: stage.index,
          item: result.dropped,
          totalDropped: stage.dropped,
          from: connection.from,
        });
      }
    }
    return true;
  }

  private unmatched(id: string, stage: Stage, from: string, item: unknown): void {
    stage.dropped++;
    const connection = this.connections.find((c) => c.from === from && c.to === id);
    if (connection) connection.dropped++;
    this.events.emit('drop', { nodeName: stage.node.name, nodeIndex: stage.index, item, totalDropped: stage.dropped, from, unmatched: true });
  }

  private closeOutgoing(from: string): void {
    const outgoing = this.topology.outgoing.get(from)!;
    for (const index of outgoing) this.connections[index]!.live?.close();
    if (outgoing.length === 0 && from !== GRAPH_INPUT && --this.openSinks === 0) this.output.close();
  }

  private fail(error: unknown): void {
    if (this.error === undefined) {
      this.error = error;
      if (error instanceof NodeError) this.events.emit('error', { error });
    }
    this.abort();
  }
}

import { BoundedQueue } from '../BoundedQueue.ts';
import type { PipelineEvents } from '../PipelineEvents.ts';
import { RunBase } from '../RunBase.ts';
import type { Stage } from '../Stage.ts';
import type { GraphConnectionState, GraphOutput } from './GraphOutput.ts';
import { GRAPH_INPUT, type Topology } from './GraphTopology.ts';
import { createInputReader } from './InputJoin.ts';

/**
 * One streaming run of a graph: a bounded queue on every connection (its own capacity and policy), one worker
 * per node reading its inputs through its join, and a pump feeding the connections out of `input`. A node whose
 * inputs have all ended is flushed and closes its outgoing connections, so the end of the source reaches every
 * branch; the run's output closes once every sink has finished.
 */
export class GraphRun extends RunBase<GraphOutput> {
  private openSinks: number;

  constructor(
    private readonly stages: ReadonlyMap<string, Stage>,
    private readonly connections: readonly GraphConnectionState[],
    private readonly topology: Topology,
    events: PipelineEvents,
    outputCapacity: number,
  ) {
    super(events, outputCapacity);
    this.openSinks = topology.sinks.length;
    for (const connection of connections) connection.live = new BoundedQueue(connection.queue.capacity, connection.queue.policy);
  }

  /** Settles (never rejects) when every worker has finished or the run was aborted. */
  start(source: AsyncIterable<unknown> | Iterable<unknown>): Promise<void> {
    return Promise.all([this.pump(source), ...this.topology.order.map((id) => this.work(id))]).then(() => undefined);
  }

  detach(): void {
    for (const connection of this.connections) connection.live = undefined;
  }

  protected *queues(): Iterable<BoundedQueue<unknown>> {
    for (const connection of this.connections) if (connection.live) yield connection.live;
  }

  protected deliverFromSource(item: unknown): Promise<boolean> {
    return this.deliver(GRAPH_INPUT, item);
  }

  protected sourceEnded(): void {
    this.closeOutgoing(GRAPH_INPUT);
  }

  private async work(id: string): Promise<void> {
    const stage = this.stages.get(id)!;
    const inputs = this.topology.incoming.get(id)!.map((index) => {
      const connection = this.connections[index]!;
      return { from: connection.from, queue: connection.live! };
    });
    const reader = createInputReader(inputs, this.topology.joins.get(id), (from, item) => this.unmatched(id, stage, from, item));
    if (
      await this.runNode(
        stage,
        () => reader.next(),
        (item) => this.deliver(id, item),
      )
    )
      this.closeOutgoing(id);
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
}

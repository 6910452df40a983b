import type { QueueOptions } from '../QueueOptions.ts';
import type { Topology } from './GraphTopology.ts';

export interface DescribedNode {
  readonly id: string;
  /** What the node is, e.g. its catalogue name and placement: `Grayscale, remote`. */
  readonly label: string;
}

export interface DescribedConnection {
  readonly from: string;
  readonly to: string;
  readonly queue?: Partial<QueueOptions>;
}

/**
 * A checked graph as text, for `validate` and `graph.describe()`: one line per connection in the order the
 * items flow, the node behind each id, the connection's queue when it is not the default, each join, and the
 * outputs:
 *
 *     input -> gray    (Grayscale, remote)
 *     input -> motion  (MotionDetector)  queue 2, drop-oldest
 *     outputs: gray, motion
 */
export function describeGraph(nodes: readonly DescribedNode[], connections: readonly DescribedConnection[], topology: Topology): string {
  const labels = new Map(nodes.map((node) => [node.id, node.label]));
  const rank = new Map(topology.order.map((id, index) => [id, index]));
  const ordered = [...connections].sort((a, b) => (rank.get(a.from) ?? -1) - (rank.get(b.from) ?? -1));
  const arrows = ordered.map((c) => `${c.from} -> ${c.to}`);
  const width = Math.max(...arrows.map((arrow) => arrow.length));
  const lines = ordered.map((c, index) => {
    const join = topology.joins.get(c.to);
    const extras = [
      c.queue?.capacity !== undefined || c.queue?.policy !== undefined
        ? `queue ${[c.queue.capacity, c.queue.policy].filter((v) => v !== undefined).join(', ')}`
        : '',
      join ? `join ${join}` : '',
    ].filter((extra) => extra !== '');
    return `${arrows[index]!.padEnd(width)}  (${labels.get(c.to)})${extras.length > 0 ? `  ${extras.join('; ')}` : ''}`;
  });
  lines.push(`outputs: ${topology.sinks.join(', ')}`);
  return lines.join('\n');
}

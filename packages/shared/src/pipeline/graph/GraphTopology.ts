import type { DataKind } from '../../nodes/NodeDefinition.ts';
import type { ValidationIssue } from '../../nodes/schema/ValidationError.ts';
import { closestNames } from '../../nodes/schema/closestNames.ts';

/** The graph's source: connections `from: "input"` receive every item the graph is given. */
export const GRAPH_INPUT = 'input';

/**
 * How a node with several inputs takes them.
 * - `arrival`: one at a time, in the order they arrive (the default).
 * - `timestamp`: one at a time, smallest `timestamp` first; waits until every open input has an item, so
 *   branches of one camera or microphone come out in capture order.
 * - `zip`: one item from each input at a time, passed as one record `{ [fromId]: item }`.
 */
export type JoinPolicy = 'arrival' | 'timestamp' | 'zip';
export const JOIN_POLICIES: readonly JoinPolicy[] = ['arrival', 'timestamp', 'zip'];

/** Ids are shown in errors and outputs, and are JSON keys of zipped records: short and plain. */
const ID_PATTERN = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;

export interface TopologyNode {
  readonly id: string;
  readonly join?: JoinPolicy;
  /** Known for catalogue nodes; checked across every connection when both ends have them. */
  readonly inputKinds?: readonly DataKind[];
  readonly outputKinds?: readonly DataKind[];
  readonly label?: string;
}

export interface TopologyConnection {
  readonly from: string;
  readonly to: string;
}

/** Where each problem is reported: manifests say `connections[2].to`, the API says `connect("a", "b")`. */
export interface TopologyPaths {
  node(index: number): string;
  connection(index: number): string;
}

/** A checked graph: nodes in an order where every node comes after all of its inputs. */
export interface Topology {
  readonly order: readonly string[];
  /** Connection indexes into and out of each node id (and out of `input`). */
  readonly incoming: ReadonlyMap<string, readonly number[]>;
  readonly outgoing: ReadonlyMap<string, readonly number[]>;
  /** Nodes without outgoing connections: what the graph yields. */
  readonly sinks: readonly string[];
  readonly joins: ReadonlyMap<string, JoinPolicy>;
}

export type TopologyCheck = { readonly ok: true; readonly topology: Topology } | { readonly ok: false; readonly issues: ValidationIssue[] };

/**
 * Checks a graph's shape and every problem at its path: ids (unique, not `input`), connections between known
 * ids (did-you-mean for typos), no duplicate connection or self-loop, every node fed by something, no cycle
 * (the cycle is named), joins only on nodes with several inputs, and kinds that meet across each connection.
 */
export function checkTopology(nodes: readonly TopologyNode[], connections: readonly TopologyConnection[], paths: TopologyPaths): TopologyCheck {
  const issues: ValidationIssue[] = [];
  const byId = new Map<string, TopologyNode>();
  nodes.forEach((node, index) => {
    if (!ID_PATTERN.test(node.id)) {
      issues.push({
        path: `${paths.node(index)}.id`,
        message: `must be 1-64 letters, digits, "_", "." or "-", starting with a letter or "_", got ${JSON.stringify(node.id)}`,
      });
    } else if (node.id === GRAPH_INPUT) {
      issues.push({ path: `${paths.node(index)}.id`, message: `"${GRAPH_INPUT}" is reserved for the graph's source; pick another id` });
    } else if (byId.has(node.id)) {
      issues.push({ path: `${paths.node(index)}.id`, message: `"${node.id}" is used by another node; ids must be unique` });
    } else {
      byId.set(node.id, node);
    }
  });

  const incoming = new Map<string, number[]>([...byId.keys()].map((id) => [id, []]));
  const outgoing = new Map<string, number[]>([[GRAPH_INPUT, []], ...[...byId.keys()].map((id): [string, number[]] => [id, []])]);
  const seen = new Set<string>();
  connections.forEach((connection, index) => {
    const path = paths.connection(index);
    const fromOk = connection.from === GRAPH_INPUT || byId.has(connection.from);
    const toOk = byId.has(connection.to);
    if (!fromOk) issues.push({ path: `${path}.from`, message: unknownId(connection.from, [GRAPH_INPUT, ...byId.keys()]) });
    if (!toOk) {
      const message =
        connection.to === GRAPH_INPUT ? `"${GRAPH_INPUT}" is the graph's source and takes no connections` : unknownId(connection.to, byId.keys());
      issues.push({ path: `${path}.to`, message });
    }
    if (!fromOk || !toOk) return;
    if (connection.from === connection.to) {
      issues.push({ path, message: `connects "${connection.to}" to itself; a graph has no cycles` });
      return;
    }
    const key = `${connection.from}\u0000${connection.to}`;
    if (seen.has(key)) {
      issues.push({ path, message: `connects "${connection.from}" to "${connection.to}" a second time` });
      return;
    }
    seen.add(key);
    outgoing.get(connection.from)!.push(index);
    incoming.get(connection.to)!.push(index);
    const from = byId.get(connection.from);
    const to = byId.get(connection.to)!;
    const toKinds = to.join === 'zip' ? (['data'] as const) : undefined;
    checkKinds(from, to, toKinds, path, issues);
  });

  if (outgoing.get(GRAPH_INPUT)!.length === 0 && byId.size > 0) {
    issues.push({ path: 'connections', message: `nothing is connected from "${GRAPH_INPUT}"; add { "from": "${GRAPH_INPUT}", "to": <a node id> }` });
  }
  nodes.forEach((node, index) => {
    if (byId.get(node.id) !== node) return;
    const inputs = incoming.get(node.id)!.length;
    if (inputs === 0) {
      issues.push({
        path: paths.node(index),
        message: `"${node.id}" has no input; connect something to it, e.g. { "from": "${GRAPH_INPUT}", "to": "${node.id}" }`,
      });
    } else if (node.join !== undefined && inputs < 2) {
      issues.push({ path: `${paths.node(index)}.join`, message: `"${node.id}" has one input; a join only applies to a node with several` });
    }
  });

  const order = topologicalOrder([...byId.keys()], connections, incoming, outgoing);
  if (order.length < byId.size) {
    issues.push({ path: 'connections', message: `has a cycle: ${describeCycle(byId, order, connections, incoming)}` });
  }
  if (issues.length > 0) return { ok: false, issues };
  const sinks = order.filter((id) => outgoing.get(id)!.length === 0);
  const joins = new Map<string, JoinPolicy>();
  for (const id of order) if (incoming.get(id)!.length > 1) joins.set(id, byId.get(id)!.join ?? 'arrival');
  return { ok: true, topology: { order, incoming, outgoing, sinks, joins } };
}

/** A chain `input -> a -> b -> ...`: how a linear pipeline reads as a graph. */
export function chainConnections(ids: readonly string[]): TopologyConnection[] {
  return ids.map((id, index) => ({ from: index === 0 ? GRAPH_INPUT : ids[index - 1]!, to: id }));
}

function checkKinds(
  from: TopologyNode | undefined,
  to: TopologyNode,
  zipKinds: readonly DataKind[] | undefined,
  path: string,
  issues: ValidationIssue[],
): void {
  const emits = from?.outputKinds;
  const takes = to.inputKinds;
  if (!takes) return;
  if (zipKinds) {
    if (!takes.includes('data')) {
      issues.push({
        path: `${path}.to`,
        message: `"${to.id}" joins its inputs with zip, which hands it records (data), but ${to.label ?? to.id} takes ${takes.join(' or ')}`,
      });
    }
    return;
  }
  if (emits && !emits.some((kind) => takes.includes(kind))) {
    issues.push({
      path,
      message: `"${to.id}" (${to.label ?? to.id}) takes ${takes.join(' or ')}, but "${from!.id}" (${from!.label ?? from!.id}) emits ${emits.join(' or ')}`,
    });
  }
}

function unknownId(id: unknown, known: Iterable<string>): string {
  if (typeof id !== 'string') return `must be a node id, got ${JSON.stringify(id) ?? String(id)}`;
  const close = closestNames(id, known, 1);
  return `no node has the id "${id}"${close.length > 0 ? ` (did you mean "${close[0]}"?)` : ''}`;
}

/** Kahn's algorithm over connections whose ends are known; nodes caught in a cycle never get in. */
function topologicalOrder(
  ids: readonly string[],
  connections: readonly TopologyConnection[],
  incoming: ReadonlyMap<string, readonly number[]>,
  outgoing: ReadonlyMap<string, readonly number[]>,
): string[] {
  const waiting = new Map(ids.map((id) => [id, incoming.get(id)!.filter((c) => connections[c]!.from !== GRAPH_INPUT).length]));
  const ready = ids.filter((id) => waiting.get(id) === 0);
  const order: string[] = [];
  while (ready.length > 0) {
    const id = ready.shift()!;
    order.push(id);
    for (const c of outgoing.get(id)!) {
      const next = connections[c]!.to;
      const left = waiting.get(next)! - 1;
      waiting.set(next, left);
      if (left === 0) ready.push(next);
    }
  }
  return order;
}

/**
 * Names one cycle. Every node left out of the order has an input that was left out too (else it would have been
 * placed), so walking backwards along such inputs must come back to a node already seen: that loop is a cycle.
 */
function describeCycle(
  byId: ReadonlyMap<string, TopologyNode>,
  order: readonly string[],
  connections: readonly TopologyConnection[],
  incoming: ReadonlyMap<string, readonly number[]>,
): string {
  const placed = new Set(order);
  const walk: string[] = [];
  let current = [...byId.keys()].find((id) => !placed.has(id))!;
  while (!walk.includes(current)) {
    walk.push(current);
    current = incoming
      .get(current)!
      .map((c) => connections[c]!.from)
      .find((from) => from !== GRAPH_INPUT && !placed.has(from))!;
  }
  const loop = walk.slice(walk.indexOf(current)).reverse();
  // Start at the node added first, so the same graph always reads the same way.
  const ids = [...byId.keys()];
  const first = loop.reduce((best, id) => (ids.indexOf(id) < ids.indexOf(best) ? id : best));
  const rotated = [...loop.slice(loop.indexOf(first)), ...loop.slice(0, loop.indexOf(first))];
  return [...rotated, first].map((id) => `"${id}"`).join(' -> ');
}

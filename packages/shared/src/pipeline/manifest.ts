import { ErrorCode } from '../errors/ErrorCode.ts';
import type { DataKind } from '../nodes/NodeDefinition.ts';
import { NODE_CATALOGUE, unknownNodeMessage } from '../nodes/catalogue.ts';
import { ValidationError } from '../nodes/schema/ValidationError.ts';
import type { ValidationIssue } from '../nodes/schema/ValidationError.ts';
import { closestNames } from '../nodes/schema/closestNames.ts';
import { describeValue } from '../nodes/schema/describeValue.ts';
import { Pipeline } from './Pipeline.ts';
import type { PipelineOptions } from './Pipeline.ts';
import type { PipelineNode } from './PipelineNode.ts';
import { MAX_QUEUE_CAPACITY, QUEUE_POLICIES } from './QueueOptions.ts';
import type { QueueOptions } from './QueueOptions.ts';
import { PipelineGraph } from './graph/PipelineGraph.ts';
import { describeGraph } from './graph/describeGraph.ts';
import { JOIN_POLICIES, chainConnections, checkTopology, type JoinPolicy, type TopologyConnection } from './graph/GraphTopology.ts';

export const MANIFEST_VERSION = 1;

export type Placement = 'local' | 'remote';
export const PLACEMENTS: readonly Placement[] = ['local', 'remote'];

/** One built-in node of a manifest. */
export interface ManifestNode {
  /** Catalogue name, e.g. `Gain`. */
  node: string;
  /** Names the node in `connections` and in a graph's outputs; required when the manifest has connections. */
  id?: string;
  /** How a node with several inputs takes them (graphs only): `arrival` (default), `timestamp` or `zip`. */
  join?: JoinPolicy;
  config?: Record<string, unknown>;
  /** Where the node runs; `local` when omitted. */
  placement?: Placement;
  queue?: Partial<QueueOptions>;
}

/** An edge of a graph manifest: items `from` one node id (or `input`) go `to` another, through their own queue. */
export interface ManifestConnection {
  from: string;
  to: string;
  queue?: Partial<QueueOptions>;
}

/**
 * A pipeline as data: what a UI saves, a URL carries, or the SDK sends to the edge. Without `connections` the
 * nodes form a chain in list order; with them, a graph (fan-out, joins), built with `buildGraph`.
 */
export interface PipelineManifest {
  version: typeof MANIFEST_VERSION;
  nodes: ManifestNode[];
  connections?: ManifestConnection[];
}

/** A validated manifest: every config complete with defaults, every placement explicit. */
export interface ResolvedManifest {
  version: typeof MANIFEST_VERSION;
  nodes: (ManifestNode & { config: Record<string, unknown>; placement: Placement })[];
  connections?: ManifestConnection[];
}

export type ManifestValidation =
  | { readonly ok: true; readonly manifest: ResolvedManifest }
  | { readonly ok: false; readonly issues: readonly ValidationIssue[] };

const MANIFEST_KEYS = ['version', 'nodes', 'connections'];
const NODE_KEYS = ['id', 'node', 'config', 'placement', 'queue', 'join'];
const CONNECTION_KEYS = ['from', 'to', 'queue'];

/**
 * Checks a manifest (an object or JSON text) against the catalogue and reports every problem with its path,
 * e.g. `nodes[2].config.gainDb: must be a number between -120 and 60, got "loud"`. Also checks that each node
 * accepts a kind what feeds it emits (the previous node of a chain, or across every connection of a graph), that
 * remote placement is only asked of nodes that can run remotely, and a graph's shape (ids, cycles, inputs).
 */
export function validateManifest(json: unknown): ManifestValidation {
  const issues: ValidationIssue[] = [];
  let value = json;
  if (typeof json === 'string') {
    try {
      value = JSON.parse(json);
    } catch (error) {
      return { ok: false, issues: [{ path: '(root)', message: `is not valid JSON: ${(error as Error).message}` }] };
    }
  }
  if (!isRecord(value)) return { ok: false, issues: [{ path: '(root)', message: `must be an object, got ${describeValue(value)}` }] };
  unknownKeys(value, MANIFEST_KEYS, '', issues);
  if (value.version !== MANIFEST_VERSION) {
    issues.push({ path: 'version', message: `must be ${MANIFEST_VERSION}, got ${describeValue(value.version)}` });
  }
  if (!Array.isArray(value.nodes)) {
    issues.push({ path: 'nodes', message: `must be an array of nodes, got ${describeValue(value.nodes)}` });
    return { ok: false, issues };
  }
  if (value.nodes.length === 0) issues.push({ path: 'nodes', message: 'must list at least one node' });
  const graph = value.connections !== undefined;

  const resolved: ResolvedManifest['nodes'] = [];
  let previous: { name: string; outputKinds: readonly DataKind[] } | undefined;
  value.nodes.forEach((entry: unknown, index: number) => {
    const path = `nodes[${index}]`;
    if (!isRecord(entry)) {
      issues.push({ path, message: `must be an object like { "node": "Gain" }, got ${describeValue(entry)}` });
      previous = undefined;
      return;
    }
    unknownKeys(entry, NODE_KEYS, `${path}.`, issues);
    const definition = typeof entry.node === 'string' ? NODE_CATALOGUE.get(entry.node) : undefined;
    if (!definition) {
      const message = typeof entry.node === 'string' ? unknownNodeMessage(entry.node) : `must be a node name, got ${describeValue(entry.node)}`;
      issues.push({ path: `${path}.node`, message });
      previous = undefined;
      return;
    }
    const placement = entry.placement ?? 'local';
    if (!PLACEMENTS.includes(placement as Placement)) {
      issues.push({ path: `${path}.placement`, message: `must be "local" or "remote", got ${describeValue(entry.placement)}` });
    } else if (placement === 'remote' && !definition.remote) {
      issues.push({ path: `${path}.placement`, message: `${definition.name} cannot run remotely (it runs local code)` });
    }
    if (entry.queue !== undefined) checkQueue(entry.queue, `${path}.queue`, issues);
    checkGraphFields(entry, path, graph, issues);
    const config = definition.validate(entry.config, `${path}.config`);
    if (!config.ok) issues.push(...config.issues);
    if (!graph && previous && !previous.outputKinds.some((kind) => definition.inputKinds.includes(kind))) {
      issues.push({
        path: `${path}.node`,
        message: `${definition.name} takes ${definition.inputKinds.join(' or ')}, but ${previous.name} emits ${previous.outputKinds.join(' or ')}`,
      });
    }
    previous = definition;
    if (config.ok) {
      resolved.push({
        ...(typeof entry.id === 'string' ? { id: entry.id } : {}),
        node: definition.name,
        config: config.value,
        placement: placement as Placement,
        ...(entry.queue === undefined ? {} : { queue: entry.queue as Partial<QueueOptions> }),
        ...(typeof entry.join === 'string' ? { join: entry.join as JoinPolicy } : {}),
      });
    }
  });
  if (!graph) {
    return issues.length > 0 ? { ok: false, issues } : { ok: true, manifest: { version: MANIFEST_VERSION, nodes: resolved } };
  }
  const connections = checkConnections(value.connections, value.nodes, issues);
  return issues.length > 0 ? { ok: false, issues } : { ok: true, manifest: { version: MANIFEST_VERSION, nodes: resolved, connections } };
}

/** `id` and `join`: a graph needs ids; a chain may carry ids (they name its outputs) but has nothing to join. */
function checkGraphFields(entry: Record<string, unknown>, path: string, graph: boolean, issues: ValidationIssue[]): void {
  if (entry.id === undefined && graph) {
    issues.push({ path: `${path}.id`, message: 'is required when the manifest has connections: name the node, e.g. "id": "gray"' });
  } else if (entry.id !== undefined && typeof entry.id !== 'string') {
    issues.push({ path: `${path}.id`, message: `must be a string, got ${describeValue(entry.id)}` });
  }
  if (entry.join === undefined) return;
  if (!graph) {
    issues.push({ path: `${path}.join`, message: 'only applies to graphs: add "connections" to join branches' });
  } else if (!JOIN_POLICIES.includes(entry.join as JoinPolicy)) {
    issues.push({
      path: `${path}.join`,
      message: `must be one of ${JOIN_POLICIES.map((p) => `"${p}"`).join(', ')}, got ${describeValue(entry.join)}`,
    });
  }
}

/** The `connections` list's shape, then the graph's (ids, cycles, inputs, kinds across each connection). */
function checkConnections(json: unknown, nodes: readonly unknown[], issues: ValidationIssue[]): ManifestConnection[] {
  if (!Array.isArray(json)) {
    issues.push({ path: 'connections', message: `must be an array like [{ "from": "input", "to": "gray" }], got ${describeValue(json)}` });
    return [];
  }
  const connections: ManifestConnection[] = [];
  json.forEach((entry: unknown, index) => {
    const path = `connections[${index}]`;
    if (!isRecord(entry)) {
      issues.push({ path, message: `must be an object like { "from": "input", "to": "gray" }, got ${describeValue(entry)}` });
      return;
    }
    unknownKeys(entry, CONNECTION_KEYS, `${path}.`, issues);
    for (const end of ['from', 'to'] as const) {
      if (typeof entry[end] !== 'string') issues.push({ path: `${path}.${end}`, message: `must be a node id, got ${describeValue(entry[end])}` });
    }
    if (entry.queue !== undefined) checkQueue(entry.queue, `${path}.queue`, issues);
    if (typeof entry.from === 'string' && typeof entry.to === 'string') {
      connections.push({ from: entry.from, to: entry.to, ...(entry.queue === undefined ? {} : { queue: entry.queue as Partial<QueueOptions> }) });
    }
  });
  // The graph itself can be checked once every connection and every node's name and id are sound (a bad
  // config does not stop it), with each node's kinds from the catalogue.
  const shaped = connections.length === json.length;
  const named = nodes.every((entry) => isRecord(entry) && typeof entry.id === 'string' && NODE_CATALOGUE.has(entry.node as string));
  if (!shaped || !named) return connections;
  const vertices = nodes.map((entry) => {
    const node = entry as ManifestNode;
    const definition = NODE_CATALOGUE.get(node.node)!;
    return {
      id: node.id!,
      label: definition.name,
      inputKinds: definition.inputKinds,
      outputKinds: definition.outputKinds,
      ...(node.join ? { join: node.join } : {}),
    };
  });
  const check = checkTopology(vertices, connections, {
    node: (index) => `nodes[${index}]`,
    connection: (index) => `connections[${index}]`,
  });
  if (!check.ok) issues.push(...check.issues);
  return connections;
}

export interface BuildPipelineOptions {
  /**
   * Makes the stand-in for a node placed `remote` (the SDK's remote node). Receives the validated config with
   * defaults. Without it, a manifest with a remote node is rejected.
   */
  createRemote?(name: string, config: Record<string, unknown>): PipelineNode;
  pipeline?: PipelineOptions;
}

/**
 * Validates a chain manifest and builds its pipeline; throws INVALID_MANIFEST (a ValidationError with every
 * issue). A manifest with `connections` is a graph: build it with `buildGraph`.
 */
export function buildPipeline(manifest: unknown, options: BuildPipelineOptions = {}): Pipeline {
  const resolved = resolveForBuild(manifest, options);
  if (resolved.connections) {
    throw new ValidationError(ErrorCode.InvalidManifest, 'invalid pipeline manifest', [
      { path: 'connections', message: 'make this manifest a graph: build it with buildGraph (session.loadGraph), not buildPipeline' },
    ]);
  }
  const pipeline = new Pipeline([], options.pipeline);
  for (const entry of resolved.nodes) pipeline.add(createManifestNode(entry, options), entry.queue ? { queue: entry.queue } : {});
  return pipeline;
}

/**
 * Validates a manifest and builds it as a graph: its `connections`, or for a chain manifest the chain (ids
 * default to the catalogue names, `Gain`, `Gain-2`, ...). Throws INVALID_MANIFEST listing every issue.
 */
export function buildGraph(manifest: unknown, options: BuildPipelineOptions = {}): PipelineGraph {
  const resolved = resolveForBuild(manifest, options);
  const ids = resolved.connections ? resolved.nodes.map((entry) => entry.id!) : defaultIds(resolved.nodes);
  const connections: (TopologyConnection & { queue?: Partial<QueueOptions> })[] = resolved.connections ?? chainConnections(ids);
  const graph = new PipelineGraph(options.pipeline);
  resolved.nodes.forEach((entry, index) => {
    graph.add(ids[index]!, createManifestNode(entry, options), {
      ...(entry.queue ? { queue: entry.queue } : {}),
      ...(entry.join ? { join: entry.join } : {}),
    });
  });
  for (const connection of connections) graph.connect(connection.from, connection.to, connection.queue ? { queue: connection.queue } : {});
  return graph;
}

function resolveForBuild(manifest: unknown, options: BuildPipelineOptions): ResolvedManifest {
  const result = validateManifest(manifest);
  if (!result.ok) throw new ValidationError(ErrorCode.InvalidManifest, 'invalid pipeline manifest', result.issues);
  const missingRemote: ValidationIssue[] = options.createRemote
    ? []
    : result.manifest.nodes.flatMap((entry, index) =>
        entry.placement === 'remote'
          ? [{ path: `nodes[${index}].placement`, message: `${entry.node} is placed remote, but this pipeline can only run nodes locally` }]
          : [],
      );
  if (missingRemote.length > 0) throw new ValidationError(ErrorCode.InvalidManifest, 'invalid pipeline manifest', missingRemote);
  return result.manifest;
}

function createManifestNode(entry: ResolvedManifest['nodes'][number], options: BuildPipelineOptions): PipelineNode {
  return entry.placement === 'remote' ? options.createRemote!(entry.node, entry.config) : NODE_CATALOGUE.get(entry.node)!.create(entry.config);
}

/** A chain's ids: its own where given, else the catalogue name, numbered from the second use on. */
function defaultIds(nodes: readonly ManifestNode[]): string[] {
  const used = new Map<string, number>();
  return nodes.map((entry) => {
    if (entry.id !== undefined) return entry.id;
    const count = (used.get(entry.node) ?? 0) + 1;
    used.set(entry.node, count);
    return count === 1 ? entry.node : `${entry.node}-${count}`;
  });
}

/** Builds a manifest whose nodes all run here; a node placed `remote` is an INVALID_MANIFEST error. */
export function buildLocalPipeline(manifest: unknown, options: PipelineOptions = {}): Pipeline {
  return buildPipeline(manifest, { pipeline: options });
}

function checkQueue(queue: unknown, path: string, issues: ValidationIssue[]): void {
  if (!isRecord(queue)) {
    issues.push({ path, message: `must be an object like { "capacity": 8, "policy": "block" }, got ${describeValue(queue)}` });
    return;
  }
  unknownKeys(queue, ['capacity', 'policy'], `${path}.`, issues);
  const { capacity, policy } = queue;
  if (capacity !== undefined && (!Number.isInteger(capacity) || (capacity as number) < 1 || (capacity as number) > MAX_QUEUE_CAPACITY)) {
    issues.push({ path: `${path}.capacity`, message: `must be an integer between 1 and ${MAX_QUEUE_CAPACITY}, got ${describeValue(capacity)}` });
  }
  if (policy !== undefined && !QUEUE_POLICIES.includes(policy as QueueOptions['policy'])) {
    issues.push({
      path: `${path}.policy`,
      message: `must be one of ${QUEUE_POLICIES.map((p) => `"${p}"`).join(', ')}, got ${describeValue(policy)}`,
    });
  }
}

function unknownKeys(value: Record<string, unknown>, known: readonly string[], prefix: string, issues: ValidationIssue[]): void {
  for (const key of Object.keys(value)) {
    if (known.includes(key)) continue;
    const close = closestNames(key, known, 1);
    const hint = close.length > 0 ? ` (did you mean "${close[0]}"?)` : '';
    issues.push({ path: `${prefix}${key}`, message: `unknown field${hint}; expected one of ${known.join(', ')}` });
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A validated manifest as text: a chain on one line (`Gain -> Resample (remote)`), a graph as one line per
 * connection with each node, queue and join, then its outputs.
 */
export function describeManifest(manifest: ResolvedManifest): string {
  const label = (entry: ResolvedManifest['nodes'][number]) => (entry.placement === 'remote' ? `${entry.node}, remote` : entry.node);
  if (!manifest.connections) {
    return manifest.nodes.map((entry) => (entry.placement === 'remote' ? `${entry.node} (remote)` : entry.node)).join(' -> ');
  }
  const nodes = manifest.nodes.map((entry) => ({ id: entry.id!, label: label(entry), ...(entry.join ? { join: entry.join } : {}) }));
  const check = checkTopology(nodes, manifest.connections, { node: (index) => `nodes[${index}]`, connection: (index) => `connections[${index}]` });
  if (!check.ok) throw new ValidationError(ErrorCode.InvalidManifest, 'invalid pipeline manifest', check.issues);
  return describeGraph(nodes, manifest.connections, check.topology);
}

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

export const MANIFEST_VERSION = 1;

export type Placement = 'local' | 'remote';
export const PLACEMENTS: readonly Placement[] = ['local', 'remote'];

/** One built-in node of a manifest. */
export interface ManifestNode {
  /** Catalogue name, e.g. `Gain`. */
  node: string;
  config?: Record<string, unknown>;
  /** Where the node runs; `local` when omitted. */
  placement?: Placement;
  queue?: Partial<QueueOptions>;
}

/** A pipeline as data: what a UI saves, a URL carries, or the SDK sends to the edge. */
export interface PipelineManifest {
  version: typeof MANIFEST_VERSION;
  nodes: ManifestNode[];
}

/** A validated manifest: every config complete with defaults, every placement explicit. */
export interface ResolvedManifest {
  version: typeof MANIFEST_VERSION;
  nodes: (ManifestNode & { config: Record<string, unknown>; placement: Placement })[];
}

export type ManifestValidation =
  | { readonly ok: true; readonly manifest: ResolvedManifest }
  | { readonly ok: false; readonly issues: readonly ValidationIssue[] };

const MANIFEST_KEYS = ['version', 'nodes'];
const NODE_KEYS = ['node', 'config', 'placement', 'queue'];

/**
 * Checks a manifest (an object or JSON text) against the catalogue and reports every problem with its path,
 * e.g. `nodes[2].config.gainDb: must be a number between -120 and 60, got "loud"`. Also checks that each node
 * accepts a kind the previous one emits, and that remote placement is only asked of nodes that can run remotely.
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
    const config = definition.validate(entry.config, `${path}.config`);
    if (!config.ok) issues.push(...config.issues);
    if (previous && !previous.outputKinds.some((kind) => definition.inputKinds.includes(kind))) {
      issues.push({
        path: `${path}.node`,
        message: `${definition.name} takes ${definition.inputKinds.join(' or ')}, but ${previous.name} emits ${previous.outputKinds.join(' or ')}`,
      });
    }
    previous = definition;
    if (config.ok) {
      resolved.push({
        node: definition.name,
        config: config.value,
        placement: placement as Placement,
        ...(entry.queue === undefined ? {} : { queue: entry.queue as Partial<QueueOptions> }),
      });
    }
  });
  return issues.length > 0 ? { ok: false, issues } : { ok: true, manifest: { version: MANIFEST_VERSION, nodes: resolved } };
}

export interface BuildPipelineOptions {
  /**
   * Makes the stand-in for a node placed `remote` (the SDK's remote node). Receives the validated config with
   * defaults. Without it, a manifest with a remote node is rejected.
   */
  createRemote?(name: string, config: Record<string, unknown>): PipelineNode;
  pipeline?: PipelineOptions;
}

/** Validates a manifest and builds its pipeline; throws INVALID_MANIFEST (a ValidationError with every issue). */
export function buildPipeline(manifest: unknown, options: BuildPipelineOptions = {}): Pipeline {
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
  const pipeline = new Pipeline([], options.pipeline);
  for (const entry of result.manifest.nodes) {
    const node =
      entry.placement === 'remote' ? options.createRemote!(entry.node, entry.config) : NODE_CATALOGUE.get(entry.node)!.create(entry.config);
    pipeline.add(node, entry.queue ? { queue: entry.queue } : {});
  }
  return pipeline;
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

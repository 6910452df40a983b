import type { PixelFormat } from '../frames/VideoFrameData.ts';
import type { PipelineNode } from '../pipeline/PipelineNode.ts';
import type { NodeModelInfo } from './models/AudioModel.ts';
import { NO_NODE_LIMITS, type NodeLimits } from './NodeLimits.ts';
import type { ConfigSchema } from './schema/ConfigSchema.ts';
import { invalidConfig } from './schema/ValidationError.ts';
import type { ValidationIssue } from './schema/ValidationError.ts';
import { validateConfig } from './schema/validateConfig.ts';
import type { ConfigValidation } from './schema/validateConfig.ts';

/** What flows between nodes: media frames, or any other value (`data`). */
export type DataKind = 'video' | 'audio' | 'data';

export const DATA_KINDS: readonly DataKind[] = ['video', 'audio', 'data'];

export type NodeCategory = 'general' | 'audio' | 'video';

/** What `listNodes()` returns for one built-in: plain JSON, safe to send to a browser or print. */
export interface NodeDescriptor {
  readonly name: string;
  readonly description: string;
  readonly category: NodeCategory;
  readonly configSchema: ConfigSchema;
  /** A config to start from, for forms and docs (tests check it is valid and that the node runs with it). */
  readonly example: Readonly<Record<string, unknown>>;
  readonly inputKinds: readonly DataKind[];
  readonly outputKinds: readonly DataKind[];
  /**
   * For nodes that take video: the pixel formats `process` accepts, preferred first. Frames in another format
   * are converted to the first before the node sees them, locally and on the edge.
   */
  readonly acceptedFormats?: readonly PixelFormat[];
  /** False when the node cannot run on the edge (its config holds a function). */
  readonly remote: boolean;
  /** Model nodes only: the model they load and where they can run. */
  readonly model?: NodeModelInfo;
}

/** A rule across fields that a schema cannot express, e.g. `stride` must not exceed `size`. */
export interface FieldIssue {
  /** The config key the problem is reported at. */
  readonly field: string;
  readonly message: string;
}

/** A built-in node: its descriptor plus a factory that validates config and fills in defaults. */
export interface NodeDefinition<C = Record<string, unknown>> extends NodeDescriptor {
  /**
   * Throws INVALID_CONFIG (a ValidationError listing every issue) for a bad config. `limits` bound what the
   * node may output (the edge passes its frame and message limits); none by default.
   */
  create(config?: unknown, limits?: NodeLimits): PipelineNode;
  /** The validated config with defaults; throws like `create`. */
  resolveConfig(config?: unknown): C;
  /** Every issue of `config`, with paths under `path` (default `config`); never throws. */
  validate(config: unknown, path?: string): ConfigValidation;
}

export interface NodeSpec<C> extends NodeDescriptor {
  /** Receives a config already validated against `configSchema`, defaults filled in, and its host's limits. */
  build(config: C, limits: NodeLimits): PipelineNode;
  refine?(config: C): FieldIssue[];
}

export function defineBuiltinNode<C>(spec: NodeSpec<C>): NodeDefinition<C> {
  const { build, refine, ...descriptor } = spec;
  const validate = (config: unknown, path = 'config'): ConfigValidation => {
    const result = validateConfig(spec.configSchema, config, path);
    if (!result.ok || !refine) return result;
    const issues: ValidationIssue[] = refine(result.value as C).map((issue) => ({
      path: `${path}.${issue.field}`,
      message: issue.message,
    }));
    return issues.length > 0 ? { ok: false, issues } : result;
  };
  const resolveConfig = (config?: unknown): C => {
    const result = validate(config);
    if (!result.ok) throw invalidConfig(spec.name, result.issues);
    return result.value as C;
  };
  return Object.freeze({
    ...descriptor,
    validate,
    resolveConfig,
    create: (config?: unknown, limits: NodeLimits = NO_NODE_LIMITS) =>
      withAcceptedFormats(build(resolveConfig(config), limits), spec.acceptedFormats),
  });
}

/** The built node carries its definition's formats, so a Pipeline (and the edge's worker) converts for it. */
function withAcceptedFormats(node: PipelineNode, formats: readonly PixelFormat[] | undefined): PipelineNode {
  if (formats === undefined || node.acceptedFormats !== undefined) return node;
  Object.defineProperty(node, 'acceptedFormats', { value: formats, enumerable: false });
  return node;
}

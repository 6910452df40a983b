import type { VideoEncoding } from '@remotemedia/shared';
import type { CodedOutputs } from '../media/FrameCoding.ts';

/** What every node a session holds can do, whichever kind it is. */
interface EdgeNodeBase {
  readonly name: string;
  /** Methods a client may `call` (besides `process` and `flush`). */
  readonly methods: readonly string[];
  readonly disposed: boolean;
  /**
   * Outputs for one input: [] when filtered, several when the node fans out. A compressed video input is
   * decoded (and video outputs encoded as `outputEncoding` asks) in the worker that runs the node, which
   * says how long each took.
   */
  process(item: unknown, outputEncoding?: VideoEncoding): Promise<CodedOutputs>;
  /** What the node still holds at the end of a stream. */
  flush(): Promise<unknown[]>;
  call(method: string, args: unknown[]): Promise<unknown>;
  dispose(): Promise<void>;
  /**
   * The instance's own fields as host values (Map, Set, Date... intact), for `snapshot`, `save` and
   * persistence. Only nodes whose state the edge can read have it: a node without it cannot be persisted.
   */
  snapshot?(): Promise<unknown>;
}

/** A catalogue node run natively in a built-in worker; its state stays in that worker. */
export interface BuiltinEdgeNode extends EdgeNodeBase {
  readonly kind: 'builtin';
}

/** A user class in a QuickJS sandbox: its state can be snapshotted, its sandbox reports what it holds. */
export interface SandboxedEdgeNode extends EdgeNodeBase {
  readonly kind: 'sandboxed';
  snapshot(): Promise<unknown>;
  /** Bytes the guest's QuickJS runtime holds. */
  memoryUsage(): Promise<number>;
  /** 'quarantine' once its session's code got a sandbox worker terminated. */
  readonly placement: 'shared' | 'quarantine';
}

/**
 * A node instance a session holds on the edge: a built-in from the catalogue running natively, or a user
 * class running in a QuickJS sandbox. The session treats both the same; where they differ (budgets, status,
 * state) it asks the node what it is (`kind`) or what it can do (`snapshot`), never its class.
 */
export type EdgeNode = BuiltinEdgeNode | SandboxedEdgeNode;

export type EdgeNodeKind = EdgeNode['kind'];

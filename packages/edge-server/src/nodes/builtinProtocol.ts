import type { ErrorPayload, NodeLimits, VideoEncoding } from '@remotemedia/shared';
import type { ModelTimings } from '../models/ModelTimings.ts';
import type { StateLimits } from '../state/StateLimits.ts';

/** What a built-in worker is started with. */
export interface BuiltinWorkerData {
  /** Bounds on every node's output (the edge's frame and message limits). */
  nodeLimits: NodeLimits;
  stateLimits: StateLimits;
}

/**
 * Host -> built-in worker. The worker serves them strictly one at a time, in order, so the host's watchdog
 * knows which one is running. One request at a time per node: the session's per-node queue guarantees it.
 */
export type BuiltinRequest =
  | { id: number; type: 'create'; nodeId: string; name: string; config: unknown }
  /** A compressed video item is decoded in the worker; `outputEncoding` has video outputs encoded there. */
  | { id: number; type: 'process'; nodeId: string; item: unknown; outputEncoding?: VideoEncoding }
  | { id: number; type: 'flush'; nodeId: string }
  | { id: number; type: 'dispose'; nodeId: string }
  /** Client state (superjson) to host values, bounded first; `label` names it in errors. */
  | { id: number; type: 'decode-state'; state: unknown; label: string };

/** A request before the worker handle numbers it. */
export type BuiltinRequestBody = BuiltinRequest extends infer R ? (R extends unknown ? Omit<R, 'id'> : never) : never;

/**
 * Built-in worker -> host. `value` is the outputs of flush, CodedOutputs for process, or the decoded state. `models` carries
 * the model load and frame times the request caused, for the edge's metrics.
 */
export type BuiltinReply =
  | { type: 'ready' }
  | { type: 'result'; id: number; ok: true; value?: unknown; models?: ModelTimings }
  | { type: 'result'; id: number; ok: false; error: ErrorPayload; models?: ModelTimings };

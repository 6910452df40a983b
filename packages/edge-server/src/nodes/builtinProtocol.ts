import type { ErrorPayload } from '@remotemedia/shared';

/** Host -> built-in worker. One request at a time per node: the session's per-node queue guarantees it. */
export type BuiltinRequest =
  | { id: number; type: 'create'; nodeId: string; name: string; config: unknown }
  | { id: number; type: 'process'; nodeId: string; item: unknown }
  | { id: number; type: 'flush'; nodeId: string }
  | { id: number; type: 'dispose'; nodeId: string };

/** Built-in worker -> host. */
export type BuiltinReply = { id: number; ok: true; items?: unknown[] } | { id: number; ok: false; error: ErrorPayload };

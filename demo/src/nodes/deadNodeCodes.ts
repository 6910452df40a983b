import { ErrorCode } from '@remotemedia/browser-sdk';

/**
 * Codes after which the edge has thrown a user node's sandbox away (its state can no longer be trusted):
 * the node answers every later frame with SANDBOX_DISCARDED until it is deployed again.
 */
export const DEAD_NODE_CODES: ReadonlySet<string> = new Set([
  ErrorCode.SandboxTimeout,
  ErrorCode.SandboxOutOfMemory,
  ErrorCode.SandboxStackOverflow,
  ErrorCode.SandboxCrashed,
  ErrorCode.SandboxDiscarded,
]);

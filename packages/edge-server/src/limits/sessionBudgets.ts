import { DEFAULT_LIMITS } from '@remotemedia/shared/protocol';

/**
 * What one client may use of the edge unless configured otherwise. The session enforces these; they are here,
 * apart from it, because the settings table and the session both read them.
 */

/** Protocol messages one session may send per second: a 30 fps stream through a few nodes uses a few hundred. */
export const DEFAULT_MESSAGES_PER_SECOND = 2000;

/** Sandboxed nodes one session may hold; each has a fixed memory (32 MiB by default), so this bounds one client's share. */
export const DEFAULT_MAX_SANDBOXES_PER_SESSION = 16;

/** Built-in nodes one session may hold; they share the built-in worker, so this bounds one client's share of it. */
export const DEFAULT_MAX_BUILTINS_PER_SESSION = 64;

/**
 * Bytes waiting to be sent on one connection before its client counts as not reading: one whole message of the
 * default size (the edge never uses less than its configured maxMessageBytes, or a large result would count).
 */
export const DEFAULT_MAX_SEND_QUEUE_BYTES = DEFAULT_LIMITS.maxMessageBytes;

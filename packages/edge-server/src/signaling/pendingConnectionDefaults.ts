// Apart from PendingConnections.ts, which uses ws's types: the published ./config entry re-exports these, and an
// app importing it must not need @types/ws.

/** Connections waiting to say hello at once: a real client says hello one round trip after connecting. */
export const DEFAULT_MAX_PENDING_CONNECTIONS = 32;
/** Time a new connection has to say hello; a client sends it at once, so this only catches idle sockets. */
export const DEFAULT_HELLO_TIMEOUT_MS = 5000;

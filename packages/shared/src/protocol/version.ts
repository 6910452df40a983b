/** Wire protocol version. Bump on any incompatible change to a message shape; both sides check it on every message. */
export const PROTOCOL_VERSION = 1 as const;
export type ProtocolVersion = typeof PROTOCOL_VERSION;

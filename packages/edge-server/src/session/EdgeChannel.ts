import type { ClientMessage, EdgeMessage, ProtocolChannel } from '@remotemedia/shared';

/** One of a session's two paths to its client: the signaling WebSocket or the data channel. */
export type EdgeChannel = ProtocolChannel<ClientMessage, EdgeMessage>;

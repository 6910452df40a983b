import { connect, type RemoteSession } from '@remotemedia/browser-sdk/node';

/** A tenant's session over the WebSocket, without reconnects: if the edge drops it, the attack sees that. */
export function attackerSession(url: string): Promise<RemoteSession> {
  return connect(url, { transport: 'websocket', reconnect: false, requestTimeoutMs: 30_000 });
}

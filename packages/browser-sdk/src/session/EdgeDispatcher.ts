import { ErrorCode, RemoteError, type EdgeMessage, type RemoteMediaError, type TypedEmitter } from '@remotemedia/shared';
import type { EdgeRequests } from './EdgeRequests.ts';
import type { RemoteSessionEvents } from './RemoteSessionEvents.ts';
import type { SessionConnection } from './SessionConnection.ts';

/** Hands each message from the edge to the part of the session that owns it: one case per message type. */
export class EdgeDispatcher {
  private readonly connection: Pick<SessionConnection, 'deliver' | 'refused' | 'dataChannelLost' | 'redirected'>;
  private readonly requests: EdgeRequests;
  private readonly events: TypedEmitter<RemoteSessionEvents>;

  constructor(
    connection: Pick<SessionConnection, 'deliver' | 'refused' | 'dataChannelLost' | 'redirected'>,
    requests: EdgeRequests,
    events: TypedEmitter<RemoteSessionEvents>,
  ) {
    this.connection = connection;
    this.requests = requests;
    this.events = events;
  }

  handle(message: EdgeMessage): void {
    switch (message.type) {
      case 'welcome':
      case 'answer':
        this.connection.deliver(message);
        return;
      case 'reply':
        this.requests.reply(message);
        return;
      case 'output':
        this.requests.output(message);
        return;
      case 'dropped':
        this.requests.dropped(message);
        return;
      case 'error': {
        const error = RemoteError.fromPayload(message.error);
        if (this.requests.failed(message, error)) return;
        if (message.id === undefined && message.nodeId === undefined && this.connection.refused(error)) return;
        // The edge's end of the data channel is gone with the thread that ran it; the session goes on.
        if (error.code === ErrorCode.PeerWorkerLost) this.connection.dataChannelLost(error.message);
        this.events.emit('error', error);
        return;
      }
      case 'console':
        this.events.emit('console', { nodeId: message.nodeId, nodeName: message.nodeName, level: message.level, text: message.text });
        return;
      case 'node-restored':
        this.events.emit('nodeRestored', { nodeId: message.nodeId, nodeName: message.nodeName, state: message.state, reason: message.reason });
        return;
      case 'pong':
        this.requests.pong(message);
        return;
      case 'redirect':
        this.connection.redirected(message);
        return;
    }
  }

  /** The edge sent something unreadable: an error of the session, not of any request. */
  invalid(error: RemoteMediaError): void {
    this.events.emit('error', new RemoteError({ code: error.code, message: `the edge sent something unreadable: ${error.message}` }));
  }
}

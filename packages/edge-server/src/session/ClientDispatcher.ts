import { ErrorCode, PROTOCOL_VERSION, RemoteMediaError, encodeWithEncodedField, type ClientMessage, type ProtocolLimits } from '@remotemedia/shared';
import type { Logger } from '../log/Logger.ts';
import type { EdgeMetrics } from '../metrics/EdgeMetrics.ts';
import type { EdgeChannel } from './EdgeChannel.ts';
import { claimReceivedBuffers } from './claimReceivedBuffers.ts';
import { encodedCatalogue } from './encodedCatalogue.ts';
import { unknownNode, type NodeTable } from './NodeTable.ts';
import { refsOf, sendErrorReply } from './replies.ts';
import type { SessionConnection } from './SessionConnection.ts';

type RequestMessage = Extract<ClientMessage, { type: 'deploy' | 'create' | 'call' | 'flush' | 'dispose' | 'snapshot' | 'save' }>;

export interface ClientDispatcherOptions {
  sessionId: string;
  connection: Pick<SessionConnection, 'answerOffer'>;
  table: NodeTable;
  /** The client said bye: the session ends. */
  bye(): Promise<void>;
  limits: ProtocolLimits;
  log: Logger;
  metrics: EdgeMetrics;
}

/**
 * Hands each client message to the part of the session that owns it, one case per message type, and
 * answers it on the channel it came in on: a request gets its reply or an error naming it.
 */
export class ClientDispatcher {
  private readonly options: ClientDispatcherOptions;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(options: ClientDispatcherOptions) {
    this.options = options;
  }

  dispatch(message: ClientMessage, via: EdgeChannel): void {
    const handled = this.handle(message, via).catch((error: unknown) => {
      this.options.log.warn('request failed', { session: this.options.sessionId, type: message.type, error: String(error) });
      void sendErrorReply(via, error, refsOf(message), this.options.metrics);
    });
    this.inFlight.add(handled);
    void handled.finally(() => this.inFlight.delete(handled));
  }

  /** Resolves once every message dispatched so far has been answered (a migration snapshots after that). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private async handle(message: ClientMessage, via: EdgeChannel): Promise<void> {
    switch (message.type) {
      case 'hello':
        throw new RemoteMediaError(ErrorCode.InvalidInput, 'hello was already answered on this connection');
      case 'offer':
        await this.options.connection.answerOffer(message, via);
        return;
      case 'ping':
        await via.send({ type: 'pong', id: message.id, t: message.t, edgeTime: Date.now() });
        return;
      case 'bye':
        await this.options.bye();
        return;
      case 'frame': {
        const node = this.options.table.get(message.nodeId);
        if (node === undefined) {
          await sendErrorReply(via, unknownNode(message.nodeId), { nodeId: message.nodeId, seq: message.seq }, this.options.metrics);
          return;
        }
        // Its pixels move to the node's worker from here on: nothing in the session reads them again.
        claimReceivedBuffers(message.item);
        node.enqueue(message, via);
        return;
      }
      case 'list-nodes': {
        // The same catalogue every time: only the envelope with this request's id is encoded.
        const head = { v: PROTOCOL_VERSION, type: 'reply', id: message.id };
        await via.sendEncoded('reply', encodeWithEncodedField(head, 'value', encodedCatalogue(), this.options.limits));
        return;
      }
      case 'deploy':
      case 'create':
      case 'call':
      case 'flush':
      case 'snapshot':
      case 'save':
      case 'dispose':
        try {
          const value = await this.request(message);
          await via.send({ type: 'reply', id: message.id, value });
        } catch (error) {
          const nodeId = 'nodeId' in message ? message.nodeId : undefined;
          const node = nodeId !== undefined ? this.options.table.get(nodeId) : undefined;
          await sendErrorReply(via, error, { id: message.id, nodeId }, this.options.metrics, {
            nodeName: node?.name,
            method: message.type === 'call' ? message.method : message.type,
          });
        }
        return;
    }
  }

  private async request(message: RequestMessage): Promise<unknown> {
    const table = this.options.table;
    switch (message.type) {
      case 'deploy':
        return table.deploy(message);
      case 'create':
        return table.create(message.nodeId, message.name, message.config, message.deadlineMs);
      case 'call':
        return table.call(message.nodeId, message.method, [...message.args]);
      case 'flush':
        return table.flush(message.nodeId);
      case 'snapshot':
        return table.snapshot(message.nodeId);
      case 'save':
        return table.save(message.nodeId);
      case 'dispose':
        return table.dispose(message.nodeId);
    }
  }
}

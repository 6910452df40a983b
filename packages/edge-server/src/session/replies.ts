import { toErrorPayload, type ClientMessage, type RemoteMediaError } from '@remotemedia/shared';
import type { EdgeMetrics } from '../metrics/EdgeMetrics.ts';
import { ClientMessageError } from './ClientMessageError.ts';
import type { EdgeChannel } from './EdgeChannel.ts';

/** What an error reply names, so the client can settle the right request or frame. */
export interface ErrorRefs {
  id?: number;
  nodeId?: string;
  seq?: number;
}

/** Where an error reply about `message` belongs. */
export function refsOf(message: ClientMessage): ErrorRefs {
  if (message.type === 'frame') return { nodeId: message.nodeId, seq: message.seq };
  const refs: ErrorRefs = {};
  if ('id' in message) refs.id = message.id;
  if ('nodeId' in message) refs.nodeId = message.nodeId;
  return refs;
}

/** Where an error reply about an invalid message belongs: what it carried, when that was readable. */
export function refsOfInvalid(error: RemoteMediaError): ErrorRefs {
  return error instanceof ClientMessageError ? { id: error.id, nodeId: error.nodeId, seq: error.seq } : {};
}

/**
 * Sends `error` to the client as an error reply naming `refs`. Every error a client is sent goes through
 * here, so /metrics counts them by code. A reply that cannot be sent (the channel is gone) is dropped: the
 * client's side of that channel fails its waiting requests itself.
 */
export function sendErrorReply(
  via: EdgeChannel,
  error: unknown,
  refs: ErrorRefs,
  metrics: Pick<EdgeMetrics, 'error'>,
  context: { nodeName?: string; method?: string } = {},
): Promise<void> {
  const payload = toErrorPayload(error, context);
  metrics.error(payload.code);
  return via
    .send({
      type: 'error',
      ...(refs.id !== undefined ? { id: refs.id } : {}),
      ...(refs.nodeId !== undefined ? { nodeId: refs.nodeId } : {}),
      ...(refs.seq !== undefined ? { seq: refs.seq } : {}),
      error: payload,
    })
    .catch(() => undefined);
}

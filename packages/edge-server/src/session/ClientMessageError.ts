import { RemoteMediaError, parseClientMessage, type ClientMessage, type ProtocolLimits } from '@remotemedia/shared';

/**
 * A client message that decoded but failed validation (a frame over maxFrameBytes, a bad field), with the
 * request id, node id and frame seq it carried when those were readable. The error reply then names them,
 * so the client's request or frame settles with the error instead of waiting for its timeout: for every
 * frame sent, exactly one of output, error or dropped comes back.
 */
export class ClientMessageError extends RemoteMediaError {
  readonly id: number | undefined;
  readonly nodeId: string | undefined;
  readonly seq: number | undefined;

  constructor(cause: RemoteMediaError, refs: { id?: number; nodeId?: string; seq?: number }) {
    super(cause.code, cause.message, { cause, retryable: cause.retryable });
    this.name = 'RemoteMediaError';
    this.id = refs.id;
    this.nodeId = refs.nodeId;
    this.seq = refs.seq;
  }
}

/** parseClientMessage, keeping what the reply needs to find its request when validation fails. */
export function parseClientMessageWithRefs(value: unknown, limits: ProtocolLimits): ClientMessage {
  try {
    return parseClientMessage(value, limits);
  } catch (error) {
    if (!(error instanceof RemoteMediaError) || typeof value !== 'object' || value === null) throw error;
    const raw = value as Record<string, unknown>;
    const uint = (v: unknown): number | undefined => (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : undefined);
    const nodeId = typeof raw.nodeId === 'string' && raw.nodeId.length <= 128 ? raw.nodeId : undefined;
    throw new ClientMessageError(error, { id: uint(raw.id), nodeId, seq: raw.type === 'frame' ? uint(raw.seq) : undefined });
  }
}

import type { ClientMessage } from '@remotemedia/shared';

/** What an error reply points back to, so the client can settle the right request or frame. */
export interface ErrorRefs {
  id?: number;
  nodeId?: string;
  seq?: number;
}

/** The refs of a message refused before any session took it: its request id, or a frame's node and seq. */
export function refsOf(message: ClientMessage): ErrorRefs {
  if (message.type === 'frame') return { nodeId: message.nodeId, seq: message.seq };
  return 'id' in message ? { id: message.id } : {};
}

/** Only the refs that are set, so the reply carries no empty fields. */
export function definedRefs(refs: ErrorRefs): ErrorRefs {
  return {
    ...(refs.id !== undefined ? { id: refs.id } : {}),
    ...(refs.nodeId !== undefined ? { nodeId: refs.nodeId } : {}),
    ...(refs.seq !== undefined ? { seq: refs.seq } : {}),
  };
}

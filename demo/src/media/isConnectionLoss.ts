import { ErrorCode, RemoteMediaError } from '@remotemedia/browser-sdk';

/**
 * Frames in flight when the connection drops are rejected with these codes. They are counted by the
 * session (`framesLost`) and the status line says "reconnecting": they are not errors of the node.
 */
export function isConnectionLoss(error: unknown): boolean {
  return error instanceof RemoteMediaError && (error.code === ErrorCode.ConnectionClosed || error.code === ErrorCode.SessionClosed);
}

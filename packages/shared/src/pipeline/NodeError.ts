import { ErrorCode } from '../errors/ErrorCode.ts';
import { RemoteMediaError } from '../errors/RemoteMediaError.ts';

export type NodePhase = 'initialize' | 'process' | 'flush' | 'cleanup';

/**
 * A node failed inside a pipeline. Names the node, its position and what it was doing, keeps the original
 * error as `cause`, and keeps the cause's code when it already had one (DIVISION_BY_ZERO stays DIVISION_BY_ZERO).
 */
export class NodeError extends RemoteMediaError {
  readonly nodeName: string;
  readonly nodeIndex: number;
  readonly phase: NodePhase;

  constructor(nodeName: string, nodeIndex: number, phase: NodePhase, cause: unknown) {
    const known = cause instanceof RemoteMediaError;
    const detail = cause instanceof Error ? cause.message : String(cause);
    super(known ? cause.code : ErrorCode.NodeFailed, `node "${nodeName}" (#${nodeIndex}) failed in ${phase}: ${detail}`, {
      cause,
      retryable: known ? cause.retryable : false,
    });
    this.name = 'NodeError';
    this.nodeName = nodeName;
    this.nodeIndex = nodeIndex;
    this.phase = phase;
  }
}

import { randomUUID } from 'node:crypto';
import type { Worker } from 'node:worker_threads';
import { ErrorCode, RemoteError, RemoteMediaError } from '@remotemedia/shared';
import { siblingModule, startWorker } from '../workers/startWorker.ts';
import type { BuiltinReply, BuiltinRequest } from './builtinProtocol.ts';

const workerUrl = siblingModule(import.meta.url, 'BuiltinWorker');

type Body = BuiltinRequest extends infer R ? (R extends unknown ? Omit<R, 'id'> : never) : never;

interface Pending {
  resolve(items: unknown[]): void;
  reject(error: unknown): void;
}

/** One worker thread hosting built-in nodes, with its requests in flight. */
class BuiltinWorkerHandle {
  readonly nodeIds = new Set<string>();
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private lostReason: string | undefined;

  constructor(private readonly onLost: (handle: BuiltinWorkerHandle) => void) {
    this.worker = startWorker(workerUrl);
    this.worker.on('message', (reply: BuiltinReply) => {
      const entry = this.pending.get(reply.id);
      if (entry === undefined) return;
      this.pending.delete(reply.id);
      if (reply.ok) entry.resolve(reply.items ?? []);
      else entry.reject(RemoteError.fromPayload(reply.error));
    });
    this.worker.on('error', (error) => this.lose(`the built-in node worker failed: ${error.message}`));
    this.worker.on('exit', (code) => this.lose(`the built-in node worker exited with code ${code}`));
  }

  get alive(): boolean {
    return this.lostReason === undefined;
  }

  request(body: Body): Promise<unknown[]> {
    if (this.lostReason !== undefined) {
      return Promise.reject(new RemoteMediaError(ErrorCode.NodeFailed, this.lostReason));
    }
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...body, id });
    });
  }

  async terminate(): Promise<void> {
    this.lostReason ??= 'the edge is shutting down';
    await this.worker.terminate();
  }

  private lose(reason: string): void {
    if (this.lostReason !== undefined) return;
    this.lostReason = reason;
    for (const entry of this.pending.values()) entry.reject(new RemoteMediaError(ErrorCode.NodeFailed, reason));
    this.pending.clear();
    this.onLost(this);
  }
}

/**
 * Worker threads for built-in catalogue nodes, so their work stays off the main thread where signaling and
 * every session's transport run. Nodes are placed on the worker hosting the fewest; a worker that dies takes
 * its nodes with it (their requests fail with NODE_FAILED) and is replaced for new nodes.
 */
export class BuiltinPool {
  private readonly size: number;
  private readonly workers: BuiltinWorkerHandle[] = [];
  private closed = false;

  constructor(options: { workers?: number } = {}) {
    this.size = options.workers ?? 1;
  }

  /** Creates the node in a worker; config errors come back typed (UNKNOWN_NODE, INVALID_CONFIG). */
  async create(name: string, config: unknown): Promise<BuiltinHandle> {
    if (this.closed) throw new RemoteMediaError(ErrorCode.SessionClosed, 'the edge is shutting down');
    // Session node ids repeat across sessions; the worker needs one of its own.
    const nodeId = randomUUID();
    const worker = this.placement();
    worker.nodeIds.add(nodeId);
    try {
      await worker.request({ type: 'create', nodeId, name, config });
    } catch (error) {
      worker.nodeIds.delete(nodeId);
      throw error;
    }
    return {
      process: (item) => worker.request({ type: 'process', nodeId, item }),
      flush: () => worker.request({ type: 'flush', nodeId }),
      dispose: async () => {
        worker.nodeIds.delete(nodeId);
        if (worker.alive) await worker.request({ type: 'dispose', nodeId });
      },
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled(this.workers.splice(0).map((worker) => worker.terminate()));
  }

  private placement(): BuiltinWorkerHandle {
    while (this.workers.length < this.size) {
      this.workers.push(
        new BuiltinWorkerHandle((lost) => {
          const index = this.workers.indexOf(lost);
          if (index >= 0) this.workers.splice(index, 1);
        }),
      );
    }
    return this.workers.reduce((least, worker) => (worker.nodeIds.size < least.nodeIds.size ? worker : least));
  }
}

/** A built-in node living in a pool worker. */
export interface BuiltinHandle {
  process(item: unknown): Promise<unknown[]>;
  flush(): Promise<unknown[]>;
  dispose(): Promise<void>;
}

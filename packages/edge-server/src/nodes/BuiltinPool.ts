import { randomUUID } from 'node:crypto';
import { ErrorCode, RemoteMediaError, type NodeLimits, type VideoEncoding } from '@remotemedia/shared';
import type { Logger } from '../log/Logger.ts';
import type { CodedOutputs } from '../media/FrameCoding.ts';
import type { ModelTimings } from '../models/ModelTimings.ts';
import type { StateLimits } from '../state/StateLimits.ts';
import { BuiltinWorkerHandle, type BuiltinCall, type WorkerLoss } from './BuiltinWorkerHandle.ts';
import type { BuiltinRequestBody } from './builtinProtocol.ts';

/** Time one built-in call may take: the catalogue's nodes finish a frame in milliseconds, so this only catches a stuck one. */
export const DEFAULT_BUILTIN_CALL_TIMEOUT_MS = 5000;

export interface BuiltinPoolOptions {
  /** Worker threads (default 1). */
  workers?: number;
  /** How long one call may run before its worker is terminated and replaced. */
  callTimeoutMs: number;
  /** Bounds on every node's output. */
  nodeLimits: NodeLimits;
  /** Bounds on client state decoded here. */
  stateLimits: StateLimits;
  log: Logger;
  /** Hears the model load and frame times the workers report (for the edge's metrics). */
  onModelTimings?: (timings: ModelTimings) => void;
}

/** One built-in node instance, with what it takes to create it again on another worker. */
interface HostedNode {
  /** Session node ids repeat across sessions; the pool uses its own. */
  readonly id: string;
  readonly name: string;
  readonly config: unknown;
  worker: BuiltinWorkerHandle;
  readonly onRestored: (reason: string) => void;
}

/** A built-in node living in a pool worker. */
export interface BuiltinHandle {
  process(item: unknown, outputEncoding?: VideoEncoding): Promise<CodedOutputs>;
  flush(): Promise<unknown[]>;
  dispose(): Promise<void>;
}

/**
 * Worker threads for built-in catalogue nodes (and client state decoding), so that work stays off the main
 * thread where signaling and every session's transport run. Nodes go to the worker hosting the least work.
 *
 * A call that runs past `callTimeoutMs` gets its worker terminated. Only that call's node pays: it fails with
 * BUILTIN_TIMEOUT and is discarded, while every other node on the worker is created again from its name and
 * config on a replacement (its owner hears `onRestored`; its in-memory state starts fresh) and the requests
 * that were waiting behind the culprit run there, so no other session loses a frame. A worker that dies for
 * another reason is handled the same way, with the request it was running as the culprit.
 */
export class BuiltinPool {
  private readonly options: BuiltinPoolOptions;
  private readonly size: number;
  private readonly workers: BuiltinWorkerHandle[] = [];
  private readonly nodes = new Map<string, HostedNode>();
  /** Nodes discarded for causing a worker loss, and why: later calls get that reason. */
  private readonly discarded = new Map<string, string>();
  private closed = false;

  constructor(options: BuiltinPoolOptions) {
    this.options = options;
    this.size = options.workers ?? 1;
  }

  /**
   * Creates the node in a worker; config errors come back typed (UNKNOWN_NODE, INVALID_CONFIG). `onRestored`
   * is called whenever the node had to be created again because its worker was lost to another node's fault.
   */
  async create(name: string, config: unknown, onRestored: (reason: string) => void): Promise<BuiltinHandle> {
    if (this.closed) throw new RemoteMediaError(ErrorCode.SessionClosed, 'the edge is shutting down');
    const node: HostedNode = { id: randomUUID(), name, config, worker: this.placement(), onRestored };
    this.nodes.set(node.id, node);
    try {
      await node.worker.request({ type: 'create', nodeId: node.id, name, config });
    } catch (error) {
      this.forget(node.id);
      throw error;
    }
    return {
      process: (item, outputEncoding) =>
        this.nodeCall(node, {
          type: 'process',
          nodeId: node.id,
          item,
          ...(outputEncoding === undefined ? {} : { outputEncoding }),
        }) as Promise<CodedOutputs>,
      flush: () => this.nodeCall(node, { type: 'flush', nodeId: node.id }) as Promise<unknown[]>,
      dispose: async () => {
        if (!this.nodes.has(node.id)) {
          this.forget(node.id);
          return;
        }
        this.nodes.delete(node.id);
        if (node.worker.alive) await node.worker.request({ type: 'dispose', nodeId: node.id });
      },
    };
  }

  /** Client superjson state to host values, bounded and decoded in a worker: see decodeState. */
  decodeState(state: unknown, label: string): Promise<unknown> {
    if (this.closed) return Promise.reject(new RemoteMediaError(ErrorCode.SessionClosed, 'the edge is shutting down'));
    return this.placement().request({ type: 'decode-state', state, label });
  }

  async close(): Promise<void> {
    this.closed = true;
    const error = new RemoteMediaError(ErrorCode.SessionClosed, 'the edge is shutting down');
    await Promise.allSettled(this.workers.splice(0).map((worker) => worker.terminate(error)));
  }

  private nodeCall(node: HostedNode, body: BuiltinRequestBody): Promise<unknown> {
    const reason = this.discarded.get(node.id);
    if (reason !== undefined) {
      return Promise.reject(
        new RemoteMediaError(ErrorCode.SandboxDiscarded, `built-in node ${node.name} was discarded because ${reason}; create it again`),
      );
    }
    return node.worker.request(body);
  }

  private forget(id: string): void {
    this.nodes.delete(id);
    this.discarded.delete(id);
  }

  private placement(): BuiltinWorkerHandle {
    while (this.workers.length < this.size) {
      this.workers.push(
        new BuiltinWorkerHandle(
          { nodeLimits: this.options.nodeLimits, stateLimits: this.options.stateLimits },
          this.options.callTimeoutMs,
          (lost, loss) => this.replace(lost, loss),
          this.options.onModelTimings,
        ),
      );
    }
    return this.workers.reduce((least, worker) => (worker.load < least.load ? worker : least));
  }

  /** A worker is gone: the culprit's call fails, everything else moves to a replacement. */
  private replace(lost: BuiltinWorkerHandle, loss: WorkerLoss): void {
    const index = this.workers.indexOf(lost);
    if (index >= 0) this.workers.splice(index, 1);
    const culpritId = loss.culprit === undefined ? undefined : nodeIdOf(loss.culprit);
    const culprit = culpritId === undefined ? undefined : this.nodes.get(culpritId);
    this.options.log.warn('built-in worker lost', { cause: loss.cause, reason: loss.reason, node: culprit?.name, waiting: loss.waiting.length });
    if (loss.culprit !== undefined) lost.reject(loss.culprit, this.culpritError(loss, loss.culprit, culprit));
    if (culprit !== undefined) {
      this.nodes.delete(culprit.id);
      this.discarded.set(
        culprit.id,
        loss.cause === 'timeout'
          ? `one of its calls ran past the edge's builtinCallTimeoutMs (${this.options.callTimeoutMs} ms)`
          : `its worker failed while running it (${loss.reason})`,
      );
    }
    if (this.closed || !loss.started) {
      // Nothing to move to: the edge is closing, or workers cannot start at all (a replacement would fail alike).
      const error = new RemoteMediaError(ErrorCode.NodeFailed, loss.reason);
      for (const call of loss.waiting) lost.reject(call, error);
      for (const node of this.nodes.values()) if (node.worker === lost) this.nodes.delete(node.id);
      return;
    }
    const waitingByNode = new Map<string | undefined, BuiltinCall[]>();
    for (const call of loss.waiting) {
      const id = nodeIdOf(call);
      waitingByNode.set(id, [...(waitingByNode.get(id) ?? []), call]);
    }
    const reason = `the built-in worker it shared was replaced: ${loss.reason}`;
    for (const node of this.nodes.values()) {
      if (node.worker !== lost) continue;
      const replacement = this.placement();
      node.worker = replacement;
      const calls = waitingByNode.get(node.id) ?? [];
      waitingByNode.delete(node.id);
      // A node whose own create was still waiting is not known to its client yet: that create builds it.
      if (!calls.some((call) => call.request.type === 'create')) {
        replacement.request({ type: 'create', nodeId: node.id, name: node.name, config: node.config }).then(
          () => node.onRestored(reason),
          (error: unknown) => {
            this.nodes.delete(node.id);
            this.discarded.set(node.id, `it could not be created again after its worker was replaced: ${String(error)}`);
          },
        );
      }
      for (const call of calls) lost.forward(call, replacement);
    }
    for (const [id, calls] of waitingByNode) {
      for (const call of calls) {
        if (id === undefined) lost.forward(call, this.placement());
        // Its node is gone (disposed, or the culprit): a dispose has nothing left to do, anything else fails.
        else if (call.request.type === 'dispose') lost.resolve(call, undefined);
        else
          lost.reject(
            call,
            new RemoteMediaError(ErrorCode.SandboxDiscarded, `the built-in node was discarded: ${this.discarded.get(id) ?? loss.reason}`),
          );
      }
    }
  }

  private culpritError(loss: WorkerLoss, call: BuiltinCall, node: HostedNode | undefined): RemoteMediaError {
    if (call.request.type === 'decode-state') {
      return loss.cause === 'timeout'
        ? new RemoteMediaError(
            ErrorCode.StateTooLarge,
            `decoding ${call.request.label} took longer than the edge's builtinCallTimeoutMs (${this.options.callTimeoutMs} ms); keep less in the instance's fields`,
          )
        : new RemoteMediaError(ErrorCode.NodeFailed, `decoding ${call.request.label} failed: ${loss.reason}`);
    }
    const name = node?.name ?? 'a built-in node';
    if (loss.cause === 'timeout') {
      return new RemoteMediaError(
        ErrorCode.BuiltinTimeout,
        `${name} ran its ${call.request.type} past the edge's builtinCallTimeoutMs (${this.options.callTimeoutMs} ms), so its worker was replaced and the node discarded; send smaller items (or raise builtinCallTimeoutMs) and create the node again`,
      );
    }
    return new RemoteMediaError(
      ErrorCode.NodeFailed,
      `${name} failed its ${call.request.type}: ${loss.reason}; the node was discarded, create it again`,
    );
  }
}

function nodeIdOf(call: BuiltinCall): string | undefined {
  return call.request.type === 'decode-state' ? undefined : call.request.nodeId;
}

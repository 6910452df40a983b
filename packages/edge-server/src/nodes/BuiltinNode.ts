import { ErrorCode, RemoteMediaError, type VideoEncoding } from '@remotemedia/shared';
import type { CodedOutputs } from '../media/FrameCoding.ts';
import type { BuiltinHandle, BuiltinPool } from './BuiltinPool.ts';
import type { BuiltinEdgeNode } from './EdgeNode.ts';

/**
 * A catalogue node run natively on the edge (trusted code: no sandbox needed), created by name and config,
 * in a built-in worker thread so its work never blocks the main thread.
 */
export class BuiltinNode implements BuiltinEdgeNode {
  readonly kind = 'builtin';
  readonly name: string;
  readonly methods: readonly string[] = [];
  private readonly handle: BuiltinHandle;
  private disposedFlag = false;

  private constructor(name: string, handle: BuiltinHandle) {
    this.name = name;
    this.handle = handle;
  }

  /**
   * Rejects with UNKNOWN_NODE or INVALID_CONFIG (naming the offending paths) before anything is created.
   * `onRestored` hears when the node was created again, fresh, after another node's fault cost it its worker.
   */
  static async create(pool: BuiltinPool, name: string, config: unknown, onRestored: (reason: string) => void): Promise<BuiltinNode> {
    return new BuiltinNode(name, await pool.create(name, config, onRestored));
  }

  get disposed(): boolean {
    return this.disposedFlag;
  }

  process(item: unknown, outputEncoding?: VideoEncoding): Promise<CodedOutputs> {
    return this.disposedFlag ? this.gone() : this.handle.process(item, outputEncoding);
  }

  flush(): Promise<unknown[]> {
    return this.disposedFlag ? this.gone() : this.handle.flush();
  }

  call(method: string): Promise<unknown> {
    return Promise.reject(
      new RemoteMediaError(ErrorCode.UnknownMethod, `built-in node ${this.name} has no callable method "${method}"; send it items instead`),
    );
  }

  async dispose(): Promise<void> {
    if (this.disposedFlag) return;
    this.disposedFlag = true;
    await this.handle.dispose();
  }

  private gone(): Promise<never> {
    return Promise.reject(new RemoteMediaError(ErrorCode.Disposed, `node ${this.name} was disposed`));
  }
}

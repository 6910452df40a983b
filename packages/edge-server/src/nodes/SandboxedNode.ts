import type { VideoEncoding } from '@remotemedia/shared';
import type { CodedOutputs } from '../media/FrameCoding.ts';
import type { NodeSandbox } from '../sandbox/index.ts';
import type { SandboxedEdgeNode } from './EdgeNode.ts';

/** A user class in its QuickJS sandbox. `flush` calls the class's own `flush` when it has one. */
export class SandboxedNode implements SandboxedEdgeNode {
  readonly kind = 'sandboxed';
  private readonly sandbox: NodeSandbox;

  constructor(sandbox: NodeSandbox) {
    this.sandbox = sandbox;
  }

  get name(): string {
    return this.sandbox.nodeName;
  }

  get methods(): readonly string[] {
    return this.sandbox.methods;
  }

  get disposed(): boolean {
    return this.sandbox.disposed;
  }

  process(item: unknown, outputEncoding?: VideoEncoding): Promise<CodedOutputs> {
    return this.sandbox.processCoded(item, outputEncoding);
  }

  /** Outputs as `process` gives them: none, one, or each item of a generator the class's flush returns. */
  async flush(): Promise<unknown[]> {
    if (!this.sandbox.methods.includes('flush')) return [];
    return this.sandbox.flush();
  }

  call(method: string, args: unknown[]): Promise<unknown> {
    return this.sandbox.call(method, args);
  }

  snapshot(): Promise<unknown> {
    return this.sandbox.snapshot();
  }

  memoryUsage(): Promise<number> {
    return this.sandbox.memoryUsage();
  }

  get placement(): 'shared' | 'quarantine' {
    return this.sandbox.placement;
  }

  get sandboxId(): string {
    return this.sandbox.id;
  }

  dispose(): Promise<void> {
    return this.sandbox.dispose();
  }
}

/** Sandboxes whose costs are remembered per worker; past it the longest-known are forgotten first. */
const MAX_SANDBOXES = 4096;

/**
 * What a call into a sandbox is expected to cost its worker: what the same method of the same sandbox took the
 * last time, as the worker measured it. Unknown (a method never called, any other kind of request) is
 * Infinity, so only requests seen to be cheap are ever queued behind others at a worker (SandboxWorkerHandle).
 */
export class RequestCosts {
  private readonly bySandbox = new Map<string, Map<string, number>>();

  estimateMs(sandboxId: string, method: string): number {
    return this.bySandbox.get(sandboxId)?.get(method) ?? Number.POSITIVE_INFINITY;
  }

  record(sandboxId: string, method: string, ms: number): void {
    let methods = this.bySandbox.get(sandboxId);
    if (methods === undefined) {
      if (this.bySandbox.size >= MAX_SANDBOXES) this.bySandbox.delete(this.bySandbox.keys().next().value!);
      methods = new Map();
      this.bySandbox.set(sandboxId, methods);
    }
    methods.set(method, ms);
  }

  forget(sandboxId: string): void {
    this.bySandbox.delete(sandboxId);
  }
}

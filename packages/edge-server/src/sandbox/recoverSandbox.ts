import { ErrorCode } from '@remotemedia/shared/errors';
import type { NodePackage } from '@remotemedia/shared/protocol';
import type { NodeSandbox } from './NodeSandbox.ts';
import { CALL_OVERHEAD_MS } from './requestBudgets.ts';
import type { SandboxLimits } from './SandboxLimits.ts';
import type { CreateSandboxOptions, RestoredEvent } from './SandboxPoolOptions.ts';
import type { SandboxWorkerHandle } from './SandboxWorkerHandle.ts';
import type { SandboxFaults } from './workerProtocol.ts';

/**
 * How an instance is built: kept for as long as it lives, so it can be built again after a worker loss. Costs
 * at most maxSandboxes x (package + constructor input), both already bounded by the protocol's limits.
 */
export interface Recipe {
  pkg: NodePackage;
  nodeName: string;
  ctorArgs: unknown[];
  state: unknown;
  restore: boolean;
  limits: SandboxLimits;
  faults: SandboxFaults | undefined;
}

/** What the pool keeps per sandbox. */
export interface PoolEntry {
  sandbox: NodeSandbox;
  recipe: Recipe;
  recoverState: CreateSandboxOptions['recoverState'];
  onRestored: CreateSandboxOptions['onRestored'];
  /** Being re-created or moved: a loss meanwhile is handled by that recovery, not a second one. */
  recovering: boolean;
}

/** The pool's side of a recovery. */
export interface RecoveryHost {
  /** Builds the instance on the worker its tenant belongs on. */
  instantiate(id: string, tenant: string, recipe: Recipe, method: string): Promise<{ worker: SandboxWorkerHandle }>;
  /** Throws SessionClosed once the pool is closing. */
  assertOpen(): void;
  isClosing(): boolean;
  /** Counts one instance re-created. */
  restored(): void;
}

/** Whether a sandbox can be re-created: not already being, not disposed, not discarded. */
export function isRecoverable(entry: PoolEntry): boolean {
  return !entry.recovering && !entry.sandbox.disposed && entry.sandbox.discardedReason === undefined;
}

/**
 * Re-creates a sandbox's instance on the worker its tenant belongs on. Its calls are held meanwhile and run
 * on the new instance afterwards. `move`: the old instance is alive and its fields are carried over; otherwise
 * it is gone and comes back from `recoverState` or its recipe. Failing that, the sandbox is discarded.
 */
export async function recoverSandbox(entry: PoolEntry, how: { move: boolean; reason: string }, host: RecoveryHost): Promise<void> {
  const { sandbox } = entry;
  const from = sandbox.currentWorker;
  entry.recovering = true;
  sandbox.suspend();
  try {
    let recipe = entry.recipe;
    let state: RestoredEvent['state'] = 'fresh';
    const fields = how.move ? await liveFields(entry, from) : await entry.recoverState?.().catch(() => undefined);
    if (fields !== undefined) {
      recipe = { ...recipe, state: fields.state, restore: true };
      state = 'snapshot';
    }
    host.assertOpen();
    if (sandbox.disposed) return;
    const { worker } = await host.instantiate(sandbox.id, sandbox.tenant, recipe, '<re-create>');
    if (sandbox.disposed || host.isClosing()) {
      worker.sandboxIds.delete(sandbox.id);
      void disposeOn(worker, entry).catch(() => undefined);
      return;
    }
    from.sandboxIds.delete(sandbox.id);
    if (how.move && from.alive) void disposeOn(from, entry).catch(() => undefined);
    host.restored();
    try {
      // Told first, so the client hears of the restore before any result the new instance produces.
      entry.onRestored?.({ state, reason: how.reason });
    } catch {
      // The listener is the caller's code; its failure does not undo the restore.
    }
    sandbox.resume(worker);
  } catch (error) {
    if (how.move && from.alive) void disposeOn(from, entry).catch(() => undefined);
    const message = error instanceof Error ? error.message : String(error);
    sandbox.markLost({
      code: ErrorCode.SandboxCrashed,
      message: `${how.reason}, and the node could not be re-created: ${message}`,
      nodeName: sandbox.nodeName,
    });
  } finally {
    entry.recovering = false;
  }
}

/** The live instance's fields, read in turn after the calls it already has queued; undefined if that fails. */
async function liveFields(entry: PoolEntry, from: SandboxWorkerHandle): Promise<{ state: unknown } | undefined> {
  const { sandbox, recipe } = entry;
  try {
    const state = await from.request(
      { type: 'snapshot', sandboxId: sandbox.id },
      {
        tenant: sandbox.tenant,
        nodeName: sandbox.nodeName,
        method: 'snapshot',
        limitMs: recipe.limits.callTimeoutMs,
        budgetMs: recipe.limits.callTimeoutMs + CALL_OVERHEAD_MS,
      },
    );
    return { state };
  } catch {
    // Its worker went too, or the fields cannot be read: it comes back the way a lost one does.
    return entry.recoverState?.().catch(() => undefined);
  }
}

function disposeOn(worker: SandboxWorkerHandle, entry: PoolEntry): Promise<unknown> {
  const { sandbox } = entry;
  return worker.request(
    { type: 'dispose', sandboxId: sandbox.id },
    { tenant: sandbox.tenant, nodeName: sandbox.nodeName, method: 'dispose', limitMs: CALL_OVERHEAD_MS, budgetMs: CALL_OVERHEAD_MS },
  );
}

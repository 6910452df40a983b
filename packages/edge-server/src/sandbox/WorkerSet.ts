import { ErrorCode, RemoteMediaError } from '@remotemedia/shared/errors';
import type { SandboxWorkerHandle } from './SandboxWorkerHandle.ts';

/** Worker counts and loads, for the pool's stats. */
export interface WorkerSetStats {
  /** Shared workers (the quarantine worker is reported apart). */
  workers: number;
  /** Requests queued or running across all workers. */
  pending: number;
  sandboxesPerWorker: number[];
  quarantine: { running: boolean; sandboxes: number };
}

/**
 * The pool's worker threads: a fixed number of shared workers, replaced one for one when lost, and the
 * quarantine worker, which hosts the sessions whose code got a worker terminated and is started only when the
 * first such session needs it.
 */
export class WorkerSet {
  private readonly shared: SandboxWorkerHandle[] = [];
  private quarantine: SandboxWorkerHandle | undefined;

  constructor(private readonly spawn: (kind: SandboxWorkerHandle['kind']) => SandboxWorkerHandle) {}

  start(size: number): void {
    for (let i = 0; i < size; i++) this.shared.push(this.spawn('shared'));
  }

  all(): SandboxWorkerHandle[] {
    return this.quarantine === undefined ? [...this.shared] : [...this.shared, this.quarantine];
  }

  /** A lost shared worker gets a fresh one in its place; a lost quarantine worker is started again when needed. */
  replace(lost: SandboxWorkerHandle): void {
    const index = this.shared.indexOf(lost);
    if (index >= 0) this.shared[index] = this.spawn('shared');
    if (lost === this.quarantine) this.quarantine = undefined;
  }

  /** The quarantine worker for a quarantined session, else the live shared worker with the fewest sandboxes. */
  placeFor(quarantined: boolean): SandboxWorkerHandle {
    if (quarantined) {
      this.quarantine ??= this.spawn('quarantine');
      return this.quarantine;
    }
    let best: SandboxWorkerHandle | undefined;
    for (const w of this.shared) {
      if (!w.alive) continue;
      if (best === undefined || w.sandboxIds.size < best.sandboxIds.size || (w.sandboxIds.size === best.sandboxIds.size && w.load < best.load)) {
        best = w;
      }
    }
    if (best === undefined) throw new RemoteMediaError(ErrorCode.Internal, 'no sandbox worker is available');
    return best;
  }

  /** Forgets every worker and returns them, for the pool to terminate. */
  takeAll(): SandboxWorkerHandle[] {
    const workers = this.all();
    this.shared.length = 0;
    this.quarantine = undefined;
    return workers;
  }

  stats(): WorkerSetStats {
    let pending = 0;
    for (const w of this.all()) pending += w.load;
    return {
      workers: this.shared.length,
      pending,
      sandboxesPerWorker: this.shared.map((w) => w.sandboxIds.size),
      quarantine: { running: this.quarantine !== undefined, sandboxes: this.quarantine?.sandboxIds.size ?? 0 },
    };
  }
}

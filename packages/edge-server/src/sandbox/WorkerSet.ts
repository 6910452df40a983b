import { ErrorCode, RemoteMediaError } from '@remotemedia/shared/errors';
import type { SandboxWorkerHandle } from './SandboxWorkerHandle.ts';

/** One worker's load, for /status and /metrics. */
export interface WorkerLoadStats {
  /** The shared worker's slot ('0', '1', ...; a replacement keeps its slot) or 'quarantine'. */
  worker: string;
  sandboxes: number;
  /** Requests waiting for their turn on the main thread. */
  queued: number;
  /** Requests sent to the worker and not answered yet. */
  atWorker: number;
  /** Time the worker slot spent running requests since the edge started (replaced workers included). */
  busySeconds: number;
  /** Recent busy share of one core (0 to 1, half-life 0.5 s): what placement goes by. */
  busyShare: number;
}

/** Worker counts and loads, for the pool's stats. */
export interface WorkerSetStats {
  /** Shared workers (the quarantine worker is reported apart). */
  workers: number;
  /** Requests queued or running across all workers. */
  pending: number;
  sandboxesPerWorker: number[];
  quarantine: { running: boolean; sandboxes: number };
  perWorker: WorkerLoadStats[];
}

/** Recent busy shares closer than this count as equal, so placement then goes by sandbox count. */
const BUSY_SHARE_STEP = 0.5;

/**
 * The pool's worker threads: a fixed number of shared workers, replaced one for one when lost, and the
 * quarantine worker, which hosts the sessions whose code got a worker terminated and is started only when the
 * first such session needs it.
 */
export class WorkerSet {
  private readonly shared: SandboxWorkerHandle[] = [];
  private quarantine: SandboxWorkerHandle | undefined;
  /** Busy seconds of the workers lost from each slot ('quarantine' too), so the metric only ever grows. */
  private readonly lostBusySeconds = new Map<string, number>();

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
    const slot = index >= 0 ? String(index) : lost === this.quarantine ? 'quarantine' : undefined;
    if (slot !== undefined) this.lostBusySeconds.set(slot, (this.lostBusySeconds.get(slot) ?? 0) + lost.busySeconds);
    if (index >= 0) this.shared[index] = this.spawn('shared');
    if (lost === this.quarantine) this.quarantine = undefined;
  }

  /**
   * The quarantine worker for a quarantined session, else the least busy live shared worker: the lowest recent
   * busy share (in steps of BUSY_SHARE_STEP, so a worker running a long call or a hot node is avoided), then the
   * fewest sandboxes, then the fewest requests in hand, then the lower busy share. Sandboxes stay where they are
   * placed: moving a live one means a snapshot and a restore, which keeps only its own enumerable fields, so it is
   * done only to quarantine.
   */
  placeFor(quarantined: boolean): SandboxWorkerHandle {
    if (quarantined) {
      this.quarantine ??= this.spawn('quarantine');
      return this.quarantine;
    }
    const now = Date.now();
    let best: { worker: SandboxWorkerHandle; key: number[] } | undefined;
    for (const worker of this.shared) {
      if (!worker.alive) continue;
      const share = worker.busyShare(now);
      const key = [Math.floor(share / BUSY_SHARE_STEP), worker.sandboxIds.size, worker.load, share];
      if (best === undefined || lessThan(key, best.key)) best = { worker, key };
    }
    if (best === undefined) throw new RemoteMediaError(ErrorCode.Internal, 'no sandbox worker is available');
    return best.worker;
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
      perWorker: this.loads(),
    };
  }

  private loads(): WorkerLoadStats[] {
    const now = Date.now();
    const slots = this.shared.map((worker, index): [string, SandboxWorkerHandle | undefined] => [String(index), worker]);
    if (this.quarantine !== undefined || this.lostBusySeconds.has('quarantine')) slots.push(['quarantine', this.quarantine]);
    return slots.map(([slot, worker]) => ({
      worker: slot,
      sandboxes: worker?.sandboxIds.size ?? 0,
      queued: worker?.queued ?? 0,
      atWorker: worker?.atWorkerCount ?? 0,
      busySeconds: (this.lostBusySeconds.get(slot) ?? 0) + (worker?.busySeconds ?? 0),
      busyShare: worker?.busyShare(now) ?? 0,
    }));
  }
}

function lessThan(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]!;
  return false;
}

import type { NodePackage } from '@remotemedia/shared/protocol';
import type { Logger } from '../log/Logger.ts';
import type { SandboxLimits } from './SandboxLimits.ts';
import type { ConsoleEntry, SandboxFaults } from './workerProtocol.ts';
import type { WorkerSetStats } from './WorkerSet.ts';

export interface SandboxPoolOptions {
  /** Worker threads; defaults to the number of cores, since each runs guest code on one core. */
  workers?: number;
  /** Defaults for every sandbox; each create() may tighten or loosen them within the hard bounds. */
  limits?: Partial<SandboxLimits>;
  /**
   * How long past a request's own limit a worker may stay silent before it is terminated and replaced. Covers
   * marshaling and scheduling noise; a guest stuck where QuickJS cannot interrupt it is stopped only this way.
   */
  watchdogGraceMs?: number;
  /** Lets create() pass `faults` (tests of the watchdog). Never enable in production. */
  allowFaultInjection?: boolean;
  /**
   * Sandboxes alive (or being created) at once, over all sessions: each owns a fixed WASM memory, so this
   * bounds the edge's memory whatever the number of sessions (default 128).
   */
  maxSandboxes?: number;
  /**
   * Percentage of maxSandboxes in use from which a session may add a sandbox only while it holds fewer than
   * half of those still free (default 50; 100: only maxSandboxes applies). See FairShare.ts.
   */
  fairSharePercent?: number;
  /** Where the pool logs (building the guest bundle when `npm run build` has not); JSON lines on stderr by default. */
  log?: Logger;
}

export interface CreateSandboxOptions {
  pkg: NodePackage;
  /** Name used in errors; defaults to the manifest's export name. */
  nodeName?: string;
  ctorArgs?: unknown[];
  /** Own fields to restore (from snapshot()) instead of calling the constructor. */
  state?: unknown;
  limits?: Partial<SandboxLimits>;
  onConsole?: (entry: ConsoleEntry) => void;
  /** Test-only; ignored unless the pool allows fault injection. */
  faults?: SandboxFaults;
  /**
   * The session that owns the sandbox. Requests are scheduled fairly between sessions, sandboxes are shared
   * between them (FairShare), and a session whose code gets a worker terminated is moved to the quarantine
   * worker. Defaults to one tenant shared by every caller that names none, which is never quarantined (that
   * would move every such sandbox onto one worker).
   */
  tenant?: string;
  /**
   * Where the instance comes back from when it is re-created after losing its worker to another sandbox:
   * `{ state }` restores those fields (a persistent node's last snapshot), undefined builds it again the way
   * it was first built (constructor arguments, or the state it was created from).
   */
  recoverState?: () => Promise<{ state: unknown } | undefined>;
  /** Told each time the instance was re-created on another worker; an event for its client, not an error. */
  onRestored?: (event: RestoredEvent) => void;
}

/** A sandbox's instance was re-created on another worker and is usable again. */
export interface RestoredEvent {
  /** 'snapshot': restored from saved or live fields; 'fresh': built again as at first, later state is gone. */
  state: 'snapshot' | 'fresh';
  reason: string;
}

export interface SandboxPoolStats extends Omit<WorkerSetStats, 'quarantine'> {
  sandboxes: number;
  /** Workers replaced after crashing or hanging. */
  workerRestarts: number;
  /** Sandboxes re-created on another worker after losing theirs to another sandbox, or moved to quarantine. */
  sandboxesRestored: number;
  /** The worker of sessions whose code got a worker terminated; started at the first such session. */
  quarantine: WorkerSetStats['quarantine'] & { sessions: number };
}

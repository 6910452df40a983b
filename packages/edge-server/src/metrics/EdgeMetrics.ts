import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ModelTimings } from '../models/ModelTimings.ts';
import type { DropCause } from '@remotemedia/shared';
import type { WorkerLoadStats } from '../sandbox/WorkerSet.ts';

/** What the metrics need to read from the running edge when Prometheus scrapes. */
export interface MetricsSource {
  sessionCounts(): { attached: number; detached: number };
  sandboxCount(): number;
  /** Live sandboxes with their memory (undefined when a busy sandbox did not answer in time). */
  sandboxMemory(): Promise<Array<{ nodeName: string; bytes: number | undefined }>>;
  /** Each sandbox worker's load, by slot. */
  sandboxWorkers(): WorkerLoadStats[];
}

/** Why the edge closed a client's connection on its own initiative. */
export type CutOffReason =
  | 'websocket_violation'
  | 'http_client_error'
  | 'hello_timeout'
  | 'pending_evicted'
  | 'pre_hello_budget'
  | 'error_flood'
  | 'slow_consumer';

/**
 * Node names come from clients (a user class's name), so they cannot all become label values: after this
 * many distinct names the rest are counted under "other", keeping the series count bounded.
 */
const MAX_NODE_LABELS = 100;
const OTHER = 'other';

/**
 * The edge's Prometheus metrics, in a registry of its own (not prom-client's global one), so two servers in
 * one process (tests) or a host application's own metrics do not mix.
 */
export class EdgeMetrics {
  readonly registry = new Registry();
  private readonly nodeLabels = new Set<string>();
  private readonly framesIn: Counter<'node'>;
  private readonly framesOut: Counter<'node'>;
  private readonly framesDropped: Counter<'node' | 'cause'>;
  private readonly processSeconds: Histogram<'node'>;
  private readonly deploys: Counter<'result'>;
  private readonly errors: Counter<'code'>;
  private readonly snapshots: Counter<'trigger' | 'result'>;
  private readonly sessionsOpened: Counter<'kind'>;
  private readonly peersAnswered: Counter<'sctp_chunks'>;
  private readonly rejections: Counter<'reason'>;
  private readonly cutOff: Counter<'reason'>;
  private readonly repliesWithheld: Counter;
  private readonly requestsHeldBack: Counter;
  private readonly modelLoadSeconds: Gauge<'model'>;
  private readonly modelLoads: Counter<'model' | 'result'>;
  private readonly modelFrames: Counter<'model'>;
  private readonly modelFrameSeconds: Histogram<'model'>;

  constructor(source: MetricsSource) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'remotemedia_process_' });
    new Gauge({
      name: 'remotemedia_sessions',
      help: 'Sessions held by the edge, by whether a client is connected to them',
      labelNames: ['state'],
      registers,
      collect() {
        const counts = source.sessionCounts();
        this.set({ state: 'attached' }, counts.attached);
        this.set({ state: 'detached' }, counts.detached);
      },
    });
    this.sessionsOpened = new Counter({
      name: 'remotemedia_sessions_opened_total',
      help: 'Sessions opened, by kind: new, resumed (still in memory) or restored (from the data dir)',
      labelNames: ['kind'],
      registers,
    });
    this.peersAnswered = new Counter({
      name: 'remotemedia_peers_answered_total',
      help: 'Data-channel offers answered, by SCTP chunk size agreed: standard (1,200 bytes, browsers) or large (werift clients; used over paths on one machine)',
      labelNames: ['sctp_chunks'],
      registers,
    });
    const nodeLabel = (name: string): string => this.nodeLabel(name);
    new Gauge({
      name: 'remotemedia_sandbox_memory_bytes',
      help: 'Bytes allocated by live sandboxes (QuickJS runtime), summed by node name',
      labelNames: ['node'],
      registers,
      collect: async function (this: Gauge<'node'>) {
        this.reset();
        const sums = new Map<string, number>();
        for (const { nodeName, bytes } of await source.sandboxMemory()) {
          if (bytes === undefined) continue;
          const label = nodeLabel(nodeName);
          sums.set(label, (sums.get(label) ?? 0) + bytes);
        }
        for (const [node, bytes] of sums) this.set({ node }, bytes);
      },
    });
    new Gauge({
      name: 'remotemedia_sandboxes',
      help: 'Live sandboxes',
      registers,
      collect() {
        this.set(source.sandboxCount());
      },
    });
    new Counter({
      name: 'remotemedia_sandbox_worker_busy_seconds_total',
      help: 'Time each sandbox worker spent running sandbox requests (a replaced worker keeps adding to its slot)',
      labelNames: ['worker'],
      registers,
      collect() {
        this.reset();
        for (const { worker, busySeconds } of source.sandboxWorkers()) this.inc({ worker }, busySeconds);
      },
    });
    new Gauge({
      name: 'remotemedia_sandbox_worker_requests',
      help: 'Sandbox requests per worker: queued (waiting for their turn) or at_worker (sent, the first of them running)',
      labelNames: ['worker', 'state'],
      registers,
      collect() {
        this.reset();
        for (const { worker, queued, atWorker } of source.sandboxWorkers()) {
          this.set({ worker, state: 'queued' }, queued);
          this.set({ worker, state: 'at_worker' }, atWorker);
        }
      },
    });
    new Gauge({
      name: 'remotemedia_sandbox_worker_sandboxes',
      help: 'Sandboxes placed on each worker',
      labelNames: ['worker'],
      registers,
      collect() {
        this.reset();
        for (const { worker, sandboxes } of source.sandboxWorkers()) this.set({ worker }, sandboxes);
      },
    });
    this.framesIn = new Counter({ name: 'remotemedia_frames_in_total', help: 'Frames received for a node', labelNames: ['node'], registers });
    this.framesOut = new Counter({
      name: 'remotemedia_frames_out_total',
      help: 'Frames processed and answered with output',
      labelNames: ['node'],
      registers,
    });
    this.framesDropped = new Counter({
      name: 'remotemedia_frames_dropped_total',
      help: 'Frames not processed, by cause (deadline, queue-full, node-gone, session-closed); each was reported to its client',
      labelNames: ['node', 'cause'],
      registers,
    });
    this.processSeconds = new Histogram({
      name: 'remotemedia_node_process_seconds',
      help: 'Time one process() call took, queueing excluded',
      labelNames: ['node'],
      buckets: [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5],
      registers,
    });
    this.deploys = new Counter({
      name: 'remotemedia_deploys_total',
      help: 'Node deploys and creations, by result',
      labelNames: ['result'],
      registers,
    });
    this.errors = new Counter({ name: 'remotemedia_errors_total', help: 'Errors sent to clients, by error code', labelNames: ['code'], registers });
    this.snapshots = new Counter({
      name: 'remotemedia_snapshots_total',
      help: 'Persistent node snapshots written, by trigger (interval, save, shutdown, expiry) and result',
      labelNames: ['trigger', 'result'],
      registers,
    });
    this.rejections = new Counter({
      name: 'remotemedia_connections_rejected_total',
      help: 'Signaling connections refused before a session, by reason',
      labelNames: ['reason'],
      registers,
    });
    this.cutOff = new Counter({
      name: 'remotemedia_connections_cut_off_total',
      help: 'Connections the edge closed because of what the client did (or did not do), by reason',
      labelNames: ['reason'],
      registers,
    });
    this.repliesWithheld = new Counter({
      name: 'remotemedia_error_replies_withheld_total',
      help: 'Error replies not sent because the connection was past its error-reply budget',
      registers,
    });
    this.requestsHeldBack = new Counter({
      name: 'remotemedia_requests_held_back_total',
      help: 'Requests refused unprocessed because the client had not read what the edge sent before (backpressure)',
      registers,
    });
    // Model names come from the catalogue, not from clients: a bounded label set.
    this.modelLoadSeconds = new Gauge({
      name: 'remotemedia_model_load_seconds',
      help: 'Time the latest load of a model took (once per built-in worker: weights and runtime)',
      labelNames: ['model'],
      registers,
    });
    this.modelLoads = new Counter({
      name: 'remotemedia_model_loads_total',
      help: 'Model loads in built-in workers, by result',
      labelNames: ['model', 'result'],
      registers,
    });
    this.modelFrames = new Counter({
      name: 'remotemedia_model_frames_total',
      help: 'Frames a model ran (Silero VAD: 512 samples at 16 kHz; RNNoise: 480 samples at 48 kHz, per channel)',
      labelNames: ['model'],
      registers,
    });
    this.modelFrameSeconds = new Histogram({
      name: 'remotemedia_model_frame_seconds',
      help: 'Time one model frame took to run (at most 1024 frames per request are sampled)',
      labelNames: ['model'],
      buckets: [0.00005, 0.0001, 0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05],
      registers,
    });
  }

  /** What a built-in worker reported about its models. */
  modelTimings(timings: ModelTimings): void {
    for (const load of timings.loads) {
      this.modelLoads.inc({ model: load.model, result: load.ok ? 'ok' : 'error' });
      if (load.ok) this.modelLoadSeconds.set({ model: load.model }, load.seconds);
    }
    for (const frames of timings.frames) {
      this.modelFrames.inc({ model: frames.model }, frames.count);
      for (const seconds of frames.seconds) this.modelFrameSeconds.observe({ model: frames.model }, seconds);
    }
  }

  frameIn(node: string): void {
    this.framesIn.inc({ node: this.nodeLabel(node) });
  }

  frameOut(node: string, seconds: number): void {
    const label = this.nodeLabel(node);
    this.framesOut.inc({ node: label });
    this.processSeconds.observe({ node: label }, seconds);
  }

  /** A frame that reached process() but failed still took time; its error is counted by `error`. */
  frameFailed(node: string, seconds: number): void {
    this.processSeconds.observe({ node: this.nodeLabel(node) }, seconds);
  }

  frameDropped(node: string, cause: DropCause): void {
    this.framesDropped.inc({ node: this.nodeLabel(node), cause });
  }

  deploy(result: 'ok' | 'error'): void {
    this.deploys.inc({ result });
  }

  error(code: string): void {
    this.errors.inc({ code });
  }

  snapshot(trigger: 'interval' | 'save' | 'shutdown' | 'expiry' | 'deploy' | 'migrate', result: 'ok' | 'error'): void {
    this.snapshots.inc({ trigger, result });
  }

  peerAnswered(sctpChunks: 'standard' | 'large'): void {
    this.peersAnswered.inc({ sctp_chunks: sctpChunks });
  }

  sessionOpened(kind: 'new' | 'resumed' | 'restored'): void {
    this.sessionsOpened.inc({ kind });
  }

  rejected(reason: 'unauthorized' | 'forbidden' | 'not_ready' | 'too_many_sessions' | 'not_found'): void {
    this.rejections.inc({ reason });
  }

  connectionCutOff(reason: CutOffReason): void {
    this.cutOff.inc({ reason });
  }

  errorReplyWithheld(): void {
    this.repliesWithheld.inc();
  }

  requestHeldBack(): void {
    this.requestsHeldBack.inc();
  }

  /** Prometheus text exposition. */
  async text(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  private nodeLabel(name: string): string {
    if (this.nodeLabels.has(name)) return name;
    if (this.nodeLabels.size >= MAX_NODE_LABELS) return OTHER;
    this.nodeLabels.add(name);
    return name;
  }
}

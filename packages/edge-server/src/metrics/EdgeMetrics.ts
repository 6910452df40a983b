import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** What the metrics need to read from the running edge when Prometheus scrapes. */
export interface MetricsSource {
  sessionCounts(): { attached: number; detached: number };
  sandboxCount(): number;
  /** Live sandboxes with their memory (undefined when a busy sandbox did not answer in time). */
  sandboxMemory(): Promise<Array<{ nodeName: string; bytes: number | undefined }>>;
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
  private readonly framesDropped: Counter<'node'>;
  private readonly processSeconds: Histogram<'node'>;
  private readonly deploys: Counter<'result'>;
  private readonly errors: Counter<'code'>;
  private readonly snapshots: Counter<'trigger' | 'result'>;
  private readonly sessionsOpened: Counter<'kind'>;
  private readonly rejections: Counter<'reason'>;
  private readonly cutOff: Counter<'reason'>;
  private readonly repliesWithheld: Counter;
  private readonly requestsHeldBack: Counter;

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
    this.framesIn = new Counter({ name: 'remotemedia_frames_in_total', help: 'Frames received for a node', labelNames: ['node'], registers });
    this.framesOut = new Counter({
      name: 'remotemedia_frames_out_total',
      help: 'Frames processed and answered with output',
      labelNames: ['node'],
      registers,
    });
    this.framesDropped = new Counter({
      name: 'remotemedia_frames_dropped_total',
      help: 'Frames not processed (queue full, node or session gone); each was reported to its client',
      labelNames: ['node'],
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

  frameDropped(node: string): void {
    this.framesDropped.inc({ node: this.nodeLabel(node) });
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

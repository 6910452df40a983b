// Longer than 350 lines on purpose: one entry per edge setting, all in one table so that each is documented,
// validated and defaulted in one place.
import { availableParallelism } from 'node:os';
import { DEFAULT_MAX_PACKAGE_BYTES } from '@remotemedia/shared/package';
import { DEFAULT_LIMITS, MAX_FRAME_DEADLINE_MS } from '@remotemedia/shared/protocol';
import { DEFAULT_CLUSTER_HEARTBEAT_MS } from '../cluster/ClusterRegistry.ts';
import { DEFAULT_HEADERS_TIMEOUT_MS, DEFAULT_HOST, DEFAULT_PORT, DEFAULT_REQUEST_TIMEOUT_MS } from '../http/createHttpServer.ts';
import { DEFAULT_ERROR_REPLIES_PER_SECOND } from '../limits/ErrorReplyBudget.ts';
import {
  DEFAULT_MAX_BUILTINS_PER_SESSION,
  DEFAULT_MAX_SANDBOXES_PER_SESSION,
  DEFAULT_MAX_SEND_QUEUE_BYTES,
  DEFAULT_MESSAGES_PER_SECOND,
} from '../limits/sessionBudgets.ts';
import { DEFAULT_LOG_LEVEL, LOG_LEVELS } from '../log/Logger.ts';
import { DEFAULT_BUILTIN_CALL_TIMEOUT_MS } from '../nodes/BuiltinPool.ts';
import { DEFAULT_SNAPSHOT_INTERVAL_MS } from '../persistence/SnapshotScheduler.ts';
import { DEFAULT_DATA_DIR } from '../persistence/StateStore.ts';
import { DEFAULT_SANDBOX_LIMITS } from '../sandbox/SandboxLimits.ts';
import { DEFAULT_FAIR_SHARE_PERCENT, DEFAULT_MAX_SANDBOXES } from '../sandbox/SandboxPool.ts';
import { DEFAULT_FRAME_DEADLINE_MS, DEFAULT_MAX_QUEUED_FRAMES } from '../session/DeployedNode.ts';
import { DEFAULT_PACKAGE_CACHE_BYTES } from '../session/PackageCache.ts';
import { DEFAULT_MAX_SESSIONS, DEFAULT_SESSION_GRACE_MS, DEFAULT_SHUTDOWN_DRAIN_MS } from '../session/SessionRegistry.ts';
import { DEFAULT_MAX_PENDING_CONNECTIONS, DEFAULT_HELLO_TIMEOUT_MS } from '../signaling/pendingConnectionDefaults.ts';
import { DEFAULT_STATE_LIMITS } from '../state/StateLimits.ts';
import type { EdgeConfig } from './EdgeConfig.ts';

/** One setting: where it comes from (flag, environment variable, config file key), what it accepts, its default. */
interface SpecOf<K extends keyof EdgeConfig> {
  readonly key: K;
  readonly flag: string;
  readonly env: string;
  readonly type: 'string' | 'integer' | 'list' | 'level' | 'ipv4' | 'iceServers' | 'redisUrl' | 'httpUrl';
  readonly min?: number;
  readonly max?: number;
  readonly description: string;
  /** Taken from the constant next to the code that uses the setting, never retyped here. */
  readonly default: EdgeConfig[K];
  /** What --help shows as the default when there is none to print (an unset or empty value). */
  readonly shownDefault?: string;
}

export type SettingSpec = { [K in keyof EdgeConfig]: SpecOf<K> }[keyof EdgeConfig];

const MiB = 1024 * 1024;
const KiB = 1024;

/**
 * Every edge setting, in one table (one entry per EdgeConfig key, or this does not compile). `loadConfig`
 * reads and validates against it, `--help` prints it, and EdgeServer fills unset options from its defaults,
 * so documentation, the CLI and programmatic use cannot drift apart. Listed in --help order.
 */
const TABLE: { readonly [K in keyof EdgeConfig]-?: Omit<SpecOf<K>, 'key'> } = {
  host: {
    flag: 'host',
    env: 'HOST',
    type: 'string',
    default: DEFAULT_HOST,
    description: 'interface to listen on (127.0.0.1 keeps the edge private)',
  },
  port: { flag: 'port', env: 'PORT', type: 'integer', min: 0, max: 65535, default: DEFAULT_PORT, description: 'TCP port (0 picks a free one)' },
  authToken: {
    flag: 'auth-token',
    env: 'REMOTEMEDIA_AUTH_TOKEN',
    type: 'string',
    default: undefined,
    description: 'bearer token clients must present (unset: no auth)',
  },
  allowedOrigins: {
    flag: 'allowed-origins',
    env: 'REMOTEMEDIA_ALLOWED_ORIGINS',
    type: 'list',
    default: [],
    description: 'comma-separated browser origins allowed to connect (empty: any)',
  },
  dataDir: { flag: 'data-dir', env: 'REMOTEMEDIA_DATA_DIR', type: 'string', default: DEFAULT_DATA_DIR, description: 'directory for persisted state' },
  logLevel: { flag: 'log-level', env: 'LOG_LEVEL', type: 'level', default: DEFAULT_LOG_LEVEL, description: `log level: ${LOG_LEVELS.join(', ')}` },
  maxSessions: {
    flag: 'max-sessions',
    env: 'REMOTEMEDIA_MAX_SESSIONS',
    type: 'integer',
    min: 1,
    max: 100_000,
    default: DEFAULT_MAX_SESSIONS,
    description: 'concurrent sessions',
  },
  maxMessageBytes: {
    flag: 'max-message-bytes',
    env: 'REMOTEMEDIA_MAX_MESSAGE_BYTES',
    type: 'integer',
    min: 1024,
    max: 256 * MiB,
    default: DEFAULT_LIMITS.maxMessageBytes,
    description: 'largest protocol message after reassembly',
  },
  maxFrameBytes: {
    flag: 'max-frame-bytes',
    env: 'REMOTEMEDIA_MAX_FRAME_BYTES',
    type: 'integer',
    min: 1024,
    max: 256 * MiB,
    default: DEFAULT_LIMITS.maxFrameBytes,
    description: 'largest video/audio frame payload',
  },
  maxPackageBytes: {
    flag: 'max-package-bytes',
    env: 'REMOTEMEDIA_MAX_PACKAGE_BYTES',
    type: 'integer',
    min: 1024,
    max: 64 * MiB,
    default: DEFAULT_MAX_PACKAGE_BYTES,
    description: 'largest user node package (sum of module sources)',
  },
  maxPackageCacheBytes: {
    flag: 'max-package-cache-bytes',
    env: 'REMOTEMEDIA_MAX_PACKAGE_CACHE_BYTES',
    type: 'integer',
    min: 0,
    max: 4096 * MiB,
    default: DEFAULT_PACKAGE_CACHE_BYTES,
    description: 'package sources kept for reuse across sessions, least recently used out (the newest is always kept)',
  },
  maxSandboxesPerSession: {
    flag: 'max-sandboxes-per-session',
    env: 'REMOTEMEDIA_MAX_SANDBOXES_PER_SESSION',
    type: 'integer',
    min: 1,
    max: 1000,
    default: DEFAULT_MAX_SANDBOXES_PER_SESSION,
    description: 'deployed nodes one session may hold',
  },
  maxSandboxes: {
    flag: 'max-sandboxes',
    env: 'REMOTEMEDIA_MAX_SANDBOXES',
    type: 'integer',
    min: 1,
    max: 100_000,
    default: DEFAULT_MAX_SANDBOXES,
    description: 'sandboxes alive at once over all sessions (bounds memory)',
  },
  sandboxFairSharePercent: {
    flag: 'sandbox-fair-share-percent',
    env: 'REMOTEMEDIA_SANDBOX_FAIR_SHARE_PERCENT',
    type: 'integer',
    min: 1,
    max: 100,
    default: DEFAULT_FAIR_SHARE_PERCENT,
    description:
      'once this % of max-sandboxes is in use, a session may only hold fewer than half of the sandboxes still free, so newcomers keep room (100: off)',
  },
  sandboxMemoryMb: {
    flag: 'sandbox-memory-mb',
    env: 'REMOTEMEDIA_SANDBOX_MEMORY_MB',
    type: 'integer',
    min: 16,
    max: 1024,
    default: DEFAULT_SANDBOX_LIMITS.memoryBytes / MiB,
    description: 'memory of each sandbox (MiB)',
  },
  sandboxStackKb: {
    flag: 'sandbox-stack-kb',
    env: 'REMOTEMEDIA_SANDBOX_STACK_KB',
    type: 'integer',
    min: 64,
    max: 1024,
    default: DEFAULT_SANDBOX_LIMITS.stackBytes / KiB,
    description: 'stack of each sandbox (KiB)',
  },
  sandboxCallTimeoutMs: {
    flag: 'sandbox-call-timeout-ms',
    env: 'REMOTEMEDIA_SANDBOX_CALL_TIMEOUT_MS',
    type: 'integer',
    min: 10,
    max: 60_000,
    default: DEFAULT_SANDBOX_LIMITS.callTimeoutMs,
    description: 'time one call into a sandbox may take',
  },
  messagesPerSecond: {
    flag: 'messages-per-second',
    env: 'REMOTEMEDIA_MESSAGES_PER_SECOND',
    type: 'integer',
    min: 1,
    max: 1_000_000,
    default: DEFAULT_MESSAGES_PER_SECOND,
    description: 'messages one session may send per second',
  },
  maxQueuedFrames: {
    flag: 'max-queued-frames',
    env: 'REMOTEMEDIA_MAX_QUEUED_FRAMES',
    type: 'integer',
    min: 1,
    max: 1024,
    default: DEFAULT_MAX_QUEUED_FRAMES,
    description: 'frames waiting per node; past it the oldest is dropped and the client told (small keeps live video current)',
  },
  frameDeadlineMs: {
    flag: 'frame-deadline-ms',
    env: 'REMOTEMEDIA_FRAME_DEADLINE_MS',
    type: 'integer',
    min: 0,
    max: MAX_FRAME_DEADLINE_MS,
    default: DEFAULT_FRAME_DEADLINE_MS,
    description:
      'a frame older than this (from its capture) is skipped before its node and the client told; a client may set its own per node; 0: never',
  },
  sandboxWorkers: {
    flag: 'sandbox-workers',
    env: 'REMOTEMEDIA_SANDBOX_WORKERS',
    type: 'integer',
    min: 1,
    max: 256,
    // The sandbox pool's own default: one worker per core.
    default: availableParallelism(),
    description: 'worker threads running sandboxes',
  },
  peerWorkers: {
    flag: 'peer-workers',
    env: 'REMOTEMEDIA_PEER_WORKERS',
    type: 'integer',
    min: 1,
    max: 256,
    // One per core: each data channel's DTLS, SCTP and UDP work is CPU-bound, and more threads than cores only
    // share the same cores.
    default: availableParallelism(),
    description: "worker threads owning the sessions' WebRTC peers (ICE, DTLS, SCTP, UDP sockets); sessions are spread over them",
  },
  snapshotIntervalMs: {
    flag: 'snapshot-interval-ms',
    env: 'REMOTEMEDIA_SNAPSHOT_INTERVAL_MS',
    type: 'integer',
    min: 0,
    max: 86_400_000,
    default: DEFAULT_SNAPSHOT_INTERVAL_MS,
    description: 'how often persistent nodes are snapshotted to the data dir (0: only on save and shutdown)',
  },
  sessionGraceMs: {
    flag: 'session-grace-ms',
    env: 'REMOTEMEDIA_SESSION_GRACE_MS',
    type: 'integer',
    min: 0,
    max: 86_400_000,
    default: DEFAULT_SESSION_GRACE_MS,
    description: 'how long a disconnected session waits to be resumed before it is closed',
  },
  shutdownDrainMs: {
    flag: 'shutdown-drain-ms',
    env: 'REMOTEMEDIA_SHUTDOWN_DRAIN_MS',
    type: 'integer',
    min: 0,
    max: 600_000,
    default: DEFAULT_SHUTDOWN_DRAIN_MS,
    description: 'time in-flight frames get to finish on shutdown (SIGTERM) before sessions are closed anyway',
  },
  maxPendingConnections: {
    flag: 'max-pending-connections',
    env: 'REMOTEMEDIA_MAX_PENDING_CONNECTIONS',
    type: 'integer',
    min: 1,
    max: 100_000,
    default: DEFAULT_MAX_PENDING_CONNECTIONS,
    description: 'signaling connections waiting to say hello (outside maxSessions); at the cap the oldest is closed',
  },
  helloTimeoutMs: {
    flag: 'hello-timeout-ms',
    env: 'REMOTEMEDIA_HELLO_TIMEOUT_MS',
    type: 'integer',
    min: 100,
    max: 600_000,
    default: DEFAULT_HELLO_TIMEOUT_MS,
    description: 'time a new signaling connection has to say hello before it is closed',
  },
  headersTimeoutMs: {
    flag: 'headers-timeout-ms',
    env: 'REMOTEMEDIA_HEADERS_TIMEOUT_MS',
    type: 'integer',
    min: 100,
    max: 600_000,
    default: DEFAULT_HEADERS_TIMEOUT_MS,
    description: 'time an HTTP client has to send its request headers (at most requestTimeoutMs)',
  },
  requestTimeoutMs: {
    flag: 'request-timeout-ms',
    env: 'REMOTEMEDIA_REQUEST_TIMEOUT_MS',
    type: 'integer',
    min: 100,
    max: 3_600_000,
    default: DEFAULT_REQUEST_TIMEOUT_MS,
    description: 'time an HTTP client has to send its whole request',
  },
  maxSendQueueBytes: {
    flag: 'max-send-queue-bytes',
    env: 'REMOTEMEDIA_MAX_SEND_QUEUE_BYTES',
    type: 'integer',
    min: 64 * KiB,
    max: 1024 * MiB,
    default: DEFAULT_MAX_SEND_QUEUE_BYTES,
    description:
      'bytes queued for one connection before a client that does not read is closed (SLOW_CONSUMER); above half of it its requests are refused unprocessed (RATE_LIMITED); at least maxMessageBytes is used',
  },
  errorRepliesPerSecond: {
    flag: 'error-replies-per-second',
    env: 'REMOTEMEDIA_ERROR_REPLIES_PER_SECOND',
    type: 'integer',
    min: 1,
    max: 1_000_000,
    default: DEFAULT_ERROR_REPLIES_PER_SECOND,
    description: 'error replies per second one connection gets for refused input; past it replies stop, at twice it the connection closes',
  },
  maxBuiltinsPerSession: {
    flag: 'max-builtins-per-session',
    env: 'REMOTEMEDIA_MAX_BUILTINS_PER_SESSION',
    type: 'integer',
    min: 1,
    max: 10_000,
    default: DEFAULT_MAX_BUILTINS_PER_SESSION,
    description: 'built-in nodes one session may hold',
  },
  builtinCallTimeoutMs: {
    flag: 'builtin-call-timeout-ms',
    env: 'REMOTEMEDIA_BUILTIN_CALL_TIMEOUT_MS',
    type: 'integer',
    min: 10,
    max: 600_000,
    default: DEFAULT_BUILTIN_CALL_TIMEOUT_MS,
    description: 'time one call of a built-in node may take before its worker is replaced and the node discarded',
  },
  maxStateBytes: {
    flag: 'max-state-bytes',
    env: 'REMOTEMEDIA_MAX_STATE_BYTES',
    type: 'integer',
    min: 1024,
    max: 256 * MiB,
    default: DEFAULT_STATE_LIMITS.maxBytes,
    description: 'largest instance state a deploy may carry or a save may write',
  },
  iceListenIp: {
    flag: 'ice-listen-ip',
    env: 'REMOTEMEDIA_ICE_LISTEN_IP',
    type: 'ipv4',
    default: undefined,
    shownDefault: 'follows --host',
    description: 'IPv4 address WebRTC UDP sockets bind to (0.0.0.0: all interfaces)',
  },
  iceAnnouncedIp: {
    flag: 'ice-announced-ip',
    env: 'REMOTEMEDIA_ICE_ANNOUNCED_IP',
    type: 'ipv4',
    default: undefined,
    shownDefault: 'unset',
    description: 'public IPv4 address advertised to clients instead of the listen address (edge behind NAT)',
  },
  iceMinPort: {
    flag: 'ice-min-port',
    env: 'REMOTEMEDIA_ICE_MIN_PORT',
    type: 'integer',
    min: 0,
    max: 65535,
    default: 0,
    description: 'lowest UDP port for WebRTC (0 with ice-max-port 0: any free port)',
  },
  iceMaxPort: {
    flag: 'ice-max-port',
    env: 'REMOTEMEDIA_ICE_MAX_PORT',
    type: 'integer',
    min: 0,
    max: 65535,
    default: 0,
    description: 'highest UDP port for WebRTC; one port per connected WebRTC client',
  },
  iceServers: {
    flag: 'ice-servers',
    env: 'REMOTEMEDIA_ICE_SERVERS',
    type: 'iceServers',
    default: [],
    shownDefault: 'none',
    description: 'STUN/TURN servers for clients, JSON: [{"urls":"turn:host:3478","username":"u","credential":"p"}]',
  },
  redisUrl: {
    flag: 'redis',
    env: 'REMOTEMEDIA_REDIS_URL',
    type: 'redisUrl',
    default: undefined,
    shownDefault: 'unset: one edge on its own',
    description: 'join a cluster of edges sharing this Redis (redis://[:password@]host:port[/db]; never logged with its password)',
  },
  publicUrl: {
    flag: 'public-url',
    env: 'REMOTEMEDIA_PUBLIC_URL',
    type: 'httpUrl',
    default: undefined,
    shownDefault: 'the URL it listens on',
    description: 'cluster mode: the URL other edges send clients to for this edge (behind a proxy or NAT)',
  },
  clusterHeartbeatMs: {
    flag: 'cluster-heartbeat-ms',
    env: 'REMOTEMEDIA_CLUSTER_HEARTBEAT_MS',
    type: 'integer',
    min: 100,
    max: 60_000,
    default: DEFAULT_CLUSTER_HEARTBEAT_MS,
    description: 'cluster mode: how often the edge refreshes its entry (load) in Redis; it expires after 3 missed beats',
  },
};

export const SETTINGS: readonly SettingSpec[] = (Object.keys(TABLE) as Array<keyof EdgeConfig>).map((key) => ({ key, ...TABLE[key] }) as SettingSpec);

/** Every setting at its default (a fresh object: its lists may be changed without touching the table). */
export function defaultConfig(): EdgeConfig {
  const config: Record<string, unknown> = {};
  for (const spec of SETTINGS) config[spec.key] = Array.isArray(spec.default) ? [...spec.default] : spec.default;
  return config as unknown as EdgeConfig;
}

import type { IceServer } from '@remotemedia/shared';

/**
 * Every edge setting, in one table: where it comes from (flag, environment variable, config file key),
 * its type, accepted values and default. `loadConfig` reads and validates against this table, and
 * `--help` prints it, so documentation and behaviour cannot drift apart.
 */
export interface SettingSpec {
  readonly key: keyof EdgeConfig;
  readonly flag: string;
  readonly env: string;
  readonly type: 'string' | 'integer' | 'list' | 'level' | 'ipv4' | 'iceServers';
  readonly min?: number;
  readonly max?: number;
  readonly description: string;
  /** What --help shows as the default when there is none to print (an unset or empty value). */
  readonly shownDefault?: string;
}

export interface EdgeConfig {
  host: string;
  port: number;
  /** Bearer token required for signaling when set. Never logged. */
  authToken: string | undefined;
  /** Origins allowed to open a session from a browser; empty allows any. */
  allowedOrigins: string[];
  dataDir: string;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  maxSessions: number;
  maxMessageBytes: number;
  maxFrameBytes: number;
  maxPackageBytes: number;
  maxSandboxesPerSession: number;
  maxSandboxes: number;
  /** Percentage of maxSandboxes in use from which a session may only hold fewer than half of those still free. */
  sandboxFairSharePercent: number;
  sandboxMemoryMb: number;
  sandboxStackKb: number;
  sandboxCallTimeoutMs: number;
  messagesPerSecond: number;
  sandboxWorkers: number;
  /** How often persistent nodes' state is written to the data directory (0: only on save and shutdown). */
  snapshotIntervalMs: number;
  /** How long a session whose connection dropped is kept for its client to resume it. */
  sessionGraceMs: number;
  /** Signaling connections that have not said hello yet; at the cap the oldest is closed to make room. */
  maxPendingConnections: number;
  /** Time a new signaling connection has to say hello. */
  helloTimeoutMs: number;
  /** Time an HTTP client has to send its request headers (slowloris tricklers are cut off after it). */
  headersTimeoutMs: number;
  /** Time an HTTP client has to send its whole request. */
  requestTimeoutMs: number;
  /** Bytes waiting to be sent on one connection before its reader counts as not reading and is closed. */
  maxSendQueueBytes: number;
  /** Error replies per second one connection gets for refused input; past it, replies stop, then the connection closes. */
  errorRepliesPerSecond: number;
  maxBuiltinsPerSession: number;
  /** Time one call of a built-in node may take before its worker is replaced. */
  builtinCallTimeoutMs: number;
  /** Largest instance state a deploy may carry or a save may write (estimated bytes of its superjson). */
  maxStateBytes: number;
  /** IPv4 address the WebRTC (ICE) UDP sockets bind to; unset: follows `host`. */
  iceListenIp: string | undefined;
  /** Address advertised in the SDP answer instead of the listen address (an edge behind NAT). */
  iceAnnouncedIp: string | undefined;
  /** ICE UDP port range, inclusive; both 0: any free port. */
  iceMinPort: number;
  iceMaxPort: number;
  /** STUN/TURN servers handed to clients. */
  iceServers: IceServer[];
}

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;

export const SETTINGS: readonly SettingSpec[] = [
  { key: 'host', flag: 'host', env: 'HOST', type: 'string', description: 'interface to listen on (127.0.0.1 keeps the edge private)' },
  { key: 'port', flag: 'port', env: 'PORT', type: 'integer', min: 0, max: 65535, description: 'TCP port (0 picks a free one)' },
  { key: 'authToken', flag: 'auth-token', env: 'REMOTEMEDIA_AUTH_TOKEN', type: 'string', description: 'bearer token clients must present (unset: no auth)' },
  { key: 'allowedOrigins', flag: 'allowed-origins', env: 'REMOTEMEDIA_ALLOWED_ORIGINS', type: 'list', description: 'comma-separated browser origins allowed to connect (empty: any)' },
  { key: 'dataDir', flag: 'data-dir', env: 'REMOTEMEDIA_DATA_DIR', type: 'string', description: 'directory for persisted state' },
  { key: 'logLevel', flag: 'log-level', env: 'LOG_LEVEL', type: 'level', description: `log level: ${LOG_LEVELS.join(', ')}` },
  { key: 'maxSessions', flag: 'max-sessions', env: 'REMOTEMEDIA_MAX_SESSIONS', type: 'integer', min: 1, max: 100_000, description: 'concurrent sessions' },
  { key: 'maxMessageBytes', flag: 'max-message-bytes', env: 'REMOTEMEDIA_MAX_MESSAGE_BYTES', type: 'integer', min: 1024, max: 256 * 1024 * 1024, description: 'largest protocol message after reassembly' },
  { key: 'maxFrameBytes', flag: 'max-frame-bytes', env: 'REMOTEMEDIA_MAX_FRAME_BYTES', type: 'integer', min: 1024, max: 256 * 1024 * 1024, description: 'largest video/audio frame payload' },
  { key: 'maxPackageBytes', flag: 'max-package-bytes', env: 'REMOTEMEDIA_MAX_PACKAGE_BYTES', type: 'integer', min: 1024, max: 64 * 1024 * 1024, description: 'largest user node package (sum of module sources)' },
  { key: 'maxSandboxesPerSession', flag: 'max-sandboxes-per-session', env: 'REMOTEMEDIA_MAX_SANDBOXES_PER_SESSION', type: 'integer', min: 1, max: 1000, description: 'deployed nodes one session may hold' },
  { key: 'maxSandboxes', flag: 'max-sandboxes', env: 'REMOTEMEDIA_MAX_SANDBOXES', type: 'integer', min: 1, max: 100_000, description: 'sandboxes alive at once over all sessions (bounds memory)' },
  { key: 'sandboxFairSharePercent', flag: 'sandbox-fair-share-percent', env: 'REMOTEMEDIA_SANDBOX_FAIR_SHARE_PERCENT', type: 'integer', min: 1, max: 100, description: 'once this % of max-sandboxes is in use, a session may only hold fewer than half of the sandboxes still free, so newcomers keep room (100: off)' },
  { key: 'sandboxMemoryMb', flag: 'sandbox-memory-mb', env: 'REMOTEMEDIA_SANDBOX_MEMORY_MB', type: 'integer', min: 16, max: 1024, description: 'memory of each sandbox (MiB)' },
  { key: 'sandboxStackKb', flag: 'sandbox-stack-kb', env: 'REMOTEMEDIA_SANDBOX_STACK_KB', type: 'integer', min: 64, max: 1024, description: 'stack of each sandbox (KiB)' },
  { key: 'sandboxCallTimeoutMs', flag: 'sandbox-call-timeout-ms', env: 'REMOTEMEDIA_SANDBOX_CALL_TIMEOUT_MS', type: 'integer', min: 10, max: 60_000, description: 'time one call into a sandbox may take' },
  { key: 'messagesPerSecond', flag: 'messages-per-second', env: 'REMOTEMEDIA_MESSAGES_PER_SECOND', type: 'integer', min: 1, max: 1_000_000, description: 'messages one session may send per second' },
  { key: 'sandboxWorkers', flag: 'sandbox-workers', env: 'REMOTEMEDIA_SANDBOX_WORKERS', type: 'integer', min: 1, max: 256, description: 'worker threads running sandboxes' },
  { key: 'snapshotIntervalMs', flag: 'snapshot-interval-ms', env: 'REMOTEMEDIA_SNAPSHOT_INTERVAL_MS', type: 'integer', min: 0, max: 86_400_000, description: 'how often persistent nodes are snapshotted to the data dir (0: only on save and shutdown)' },
  { key: 'sessionGraceMs', flag: 'session-grace-ms', env: 'REMOTEMEDIA_SESSION_GRACE_MS', type: 'integer', min: 0, max: 86_400_000, description: 'how long a disconnected session waits to be resumed before it is closed' },
  { key: 'maxPendingConnections', flag: 'max-pending-connections', env: 'REMOTEMEDIA_MAX_PENDING_CONNECTIONS', type: 'integer', min: 1, max: 100_000, description: 'signaling connections waiting to say hello (outside maxSessions); at the cap the oldest is closed' },
  { key: 'helloTimeoutMs', flag: 'hello-timeout-ms', env: 'REMOTEMEDIA_HELLO_TIMEOUT_MS', type: 'integer', min: 100, max: 600_000, description: 'time a new signaling connection has to say hello before it is closed' },
  { key: 'headersTimeoutMs', flag: 'headers-timeout-ms', env: 'REMOTEMEDIA_HEADERS_TIMEOUT_MS', type: 'integer', min: 100, max: 600_000, description: 'time an HTTP client has to send its request headers (at most requestTimeoutMs)' },
  { key: 'requestTimeoutMs', flag: 'request-timeout-ms', env: 'REMOTEMEDIA_REQUEST_TIMEOUT_MS', type: 'integer', min: 100, max: 3_600_000, description: 'time an HTTP client has to send its whole request' },
  { key: 'maxSendQueueBytes', flag: 'max-send-queue-bytes', env: 'REMOTEMEDIA_MAX_SEND_QUEUE_BYTES', type: 'integer', min: 64 * 1024, max: 1024 * 1024 * 1024, description: 'bytes queued for one connection before a client that does not read is closed (SLOW_CONSUMER); at least maxMessageBytes is used' },
  { key: 'errorRepliesPerSecond', flag: 'error-replies-per-second', env: 'REMOTEMEDIA_ERROR_REPLIES_PER_SECOND', type: 'integer', min: 1, max: 1_000_000, description: 'error replies per second one connection gets for refused input; past it replies stop, at twice it the connection closes' },
  { key: 'maxBuiltinsPerSession', flag: 'max-builtins-per-session', env: 'REMOTEMEDIA_MAX_BUILTINS_PER_SESSION', type: 'integer', min: 1, max: 10_000, description: 'built-in nodes one session may hold' },
  { key: 'builtinCallTimeoutMs', flag: 'builtin-call-timeout-ms', env: 'REMOTEMEDIA_BUILTIN_CALL_TIMEOUT_MS', type: 'integer', min: 10, max: 600_000, description: 'time one call of a built-in node may take before its worker is replaced and the node discarded' },
  { key: 'maxStateBytes', flag: 'max-state-bytes', env: 'REMOTEMEDIA_MAX_STATE_BYTES', type: 'integer', min: 1024, max: 256 * 1024 * 1024, description: 'largest instance state a deploy may carry or a save may write' },
  { key: 'iceListenIp', flag: 'ice-listen-ip', env: 'REMOTEMEDIA_ICE_LISTEN_IP', type: 'ipv4', shownDefault: 'follows --host', description: 'IPv4 address WebRTC UDP sockets bind to (0.0.0.0: all interfaces)' },
  { key: 'iceAnnouncedIp', flag: 'ice-announced-ip', env: 'REMOTEMEDIA_ICE_ANNOUNCED_IP', type: 'ipv4', shownDefault: 'unset', description: 'public IPv4 address advertised to clients instead of the listen address (edge behind NAT)' },
  { key: 'iceMinPort', flag: 'ice-min-port', env: 'REMOTEMEDIA_ICE_MIN_PORT', type: 'integer', min: 0, max: 65535, description: 'lowest UDP port for WebRTC (0 with ice-max-port 0: any free port)' },
  { key: 'iceMaxPort', flag: 'ice-max-port', env: 'REMOTEMEDIA_ICE_MAX_PORT', type: 'integer', min: 0, max: 65535, description: 'highest UDP port for WebRTC; one port per connected WebRTC client' },
  { key: 'iceServers', flag: 'ice-servers', env: 'REMOTEMEDIA_ICE_SERVERS', type: 'iceServers', shownDefault: 'none', description: 'STUN/TURN servers for clients, JSON: [{"urls":"turn:host:3478","username":"u","credential":"p"}]' },
];

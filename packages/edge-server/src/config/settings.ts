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
  sandboxMemoryMb: number;
  sandboxStackKb: number;
  sandboxCallTimeoutMs: number;
  messagesPerSecond: number;
  sandboxWorkers: number;
  /** How often persistent nodes' state is written to the data directory (0: only on save and shutdown). */
  snapshotIntervalMs: number;
  /** How long a session whose connection dropped is kept for its client to resume it. */
  sessionGraceMs: number;
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
  { key: 'sandboxMemoryMb', flag: 'sandbox-memory-mb', env: 'REMOTEMEDIA_SANDBOX_MEMORY_MB', type: 'integer', min: 16, max: 1024, description: 'memory of each sandbox (MiB)' },
  { key: 'sandboxStackKb', flag: 'sandbox-stack-kb', env: 'REMOTEMEDIA_SANDBOX_STACK_KB', type: 'integer', min: 64, max: 1024, description: 'stack of each sandbox (KiB)' },
  { key: 'sandboxCallTimeoutMs', flag: 'sandbox-call-timeout-ms', env: 'REMOTEMEDIA_SANDBOX_CALL_TIMEOUT_MS', type: 'integer', min: 10, max: 60_000, description: 'time one call into a sandbox may take' },
  { key: 'messagesPerSecond', flag: 'messages-per-second', env: 'REMOTEMEDIA_MESSAGES_PER_SECOND', type: 'integer', min: 1, max: 1_000_000, description: 'messages one session may send per second' },
  { key: 'sandboxWorkers', flag: 'sandbox-workers', env: 'REMOTEMEDIA_SANDBOX_WORKERS', type: 'integer', min: 1, max: 256, description: 'worker threads running sandboxes' },
  { key: 'snapshotIntervalMs', flag: 'snapshot-interval-ms', env: 'REMOTEMEDIA_SNAPSHOT_INTERVAL_MS', type: 'integer', min: 0, max: 86_400_000, description: 'how often persistent nodes are snapshotted to the data dir (0: only on save and shutdown)' },
  { key: 'sessionGraceMs', flag: 'session-grace-ms', env: 'REMOTEMEDIA_SESSION_GRACE_MS', type: 'integer', min: 0, max: 86_400_000, description: 'how long a disconnected session waits to be resumed before it is closed' },
  { key: 'iceListenIp', flag: 'ice-listen-ip', env: 'REMOTEMEDIA_ICE_LISTEN_IP', type: 'ipv4', shownDefault: 'follows --host', description: 'IPv4 address WebRTC UDP sockets bind to (0.0.0.0: all interfaces)' },
  { key: 'iceAnnouncedIp', flag: 'ice-announced-ip', env: 'REMOTEMEDIA_ICE_ANNOUNCED_IP', type: 'ipv4', shownDefault: 'unset', description: 'public IPv4 address advertised to clients instead of the listen address (edge behind NAT)' },
  { key: 'iceMinPort', flag: 'ice-min-port', env: 'REMOTEMEDIA_ICE_MIN_PORT', type: 'integer', min: 0, max: 65535, description: 'lowest UDP port for WebRTC (0 with ice-max-port 0: any free port)' },
  { key: 'iceMaxPort', flag: 'ice-max-port', env: 'REMOTEMEDIA_ICE_MAX_PORT', type: 'integer', min: 0, max: 65535, description: 'highest UDP port for WebRTC; one port per connected WebRTC client' },
  { key: 'iceServers', flag: 'ice-servers', env: 'REMOTEMEDIA_ICE_SERVERS', type: 'iceServers', shownDefault: 'none', description: 'STUN/TURN servers for clients, JSON: [{"urls":"turn:host:3478","username":"u","credential":"p"}]' },
];

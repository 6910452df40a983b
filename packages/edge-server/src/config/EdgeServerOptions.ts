import type { IceServer, ProtocolLimits } from '@remotemedia/shared';
import type { LogLevel } from '../log/Logger.ts';
import type { SandboxLimits } from '../sandbox/SandboxLimits.ts';

/**
 * What a program starting an edge may set; every field is optional and resolveEdgeOptions fills the rest from
 * the settings table's defaults (the CLI passes what loadConfig read, which starts from the same defaults).
 */
export interface EdgeServerOptions {
  /** Interface to listen on. Loopback unless you mean to expose the edge. */
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Directory with the built demo page; omit to serve no static files. */
  staticDir?: string;
  /** Directory with the SDK's browser bundles, served at /sdk/ to any origin; omit to serve none. */
  sdkDir?: string;
  logLevel?: LogLevel;
  limits?: Partial<ProtocolLimits>;
  sandbox?: Partial<SandboxLimits>;
  /** Worker threads for sandboxes (default: one per core). */
  sandboxWorkers?: number;
  /** Worker threads owning the sessions' WebRTC peers (default: one per core). */
  peerWorkers?: number;
  /** IPv4 address the WebRTC (ICE) UDP sockets bind to; unset: follows `host` (loopback stays loopback). */
  iceListenIp?: string;
  /** Address the SDP answer advertises instead of the listen address, for an edge behind NAT. */
  iceAnnouncedIp?: string;
  /** Inclusive UDP port range for ICE sockets (min < max); unset: any free port. */
  icePortRange?: [number, number];
  /** STUN/TURN servers handed to clients in `welcome` (the edge itself uses none). */
  iceServers?: IceServer[];
  /** Frames waiting per node before the oldest is dropped. */
  maxQueuedFrames?: number;
  /** Frame deadline a node gets unless its client sets one: older frames are skipped before the node (0: never). */
  frameDeadlineMs?: number;
  /** Cached package bytes (sources) kept for reuse across sessions. */
  maxPackageCacheBytes?: number;
  /** Bearer token for signaling, /status and /metrics; unset: open. */
  authToken?: string;
  /** Browser origins allowed to open a session; empty or unset: any. */
  allowedOrigins?: string[];
  /** Where persistent nodes' state and their packages are kept. */
  dataDir?: string;
  /** Sessions held at once (attached or waiting to be resumed). */
  maxSessions?: number;
  /** Largest user node package (sum of module sources). */
  maxPackageBytes?: number;
  maxSandboxesPerSession?: number;
  /** Sandboxes alive at once over all sessions (each has a fixed memory, so this bounds the edge's). */
  maxSandboxes?: number;
  /**
   * Percentage of maxSandboxes in use from which a session may add a sandbox only while it holds fewer than
   * half of those still free, so a few greedy sessions cannot leave none for newcomers (default 50; 100: off).
   */
  sandboxFairSharePercent?: number;
  /** Protocol messages one session may send per second. */
  messagesPerSecond?: number;
  /** How often persistent nodes are snapshotted; 0: only on save, expiry and shutdown. */
  snapshotIntervalMs?: number;
  /** How long a session whose connection dropped waits to be resumed. */
  sessionGraceMs?: number;
  /** Time in-flight frames get to finish on shutdown before their sessions are closed anyway. */
  shutdownDrainMs?: number;
  /** Signaling connections waiting to say hello (outside maxSessions); at the cap the oldest is closed. */
  maxPendingConnections?: number;
  /** Time a new signaling connection has to say hello. */
  helloTimeoutMs?: number;
  /** Time an HTTP client has to send its request headers; at most requestTimeoutMs. */
  headersTimeoutMs?: number;
  /** Time an HTTP client has to send its whole request. */
  requestTimeoutMs?: number;
  /** Bytes waiting to be sent on one connection before its client counts as not reading (at least maxMessageBytes). */
  maxSendQueueBytes?: number;
  /** Error replies per second one connection gets for refused input. */
  errorRepliesPerSecond?: number;
  /** Built-in nodes one session may hold at once. */
  maxBuiltinsPerSession?: number;
  /** Time one call of a built-in node may take before its worker is replaced and the node discarded. */
  builtinCallTimeoutMs?: number;
  /** Largest instance state (superjson, estimated bytes) a deploy may carry or a save may write. */
  maxStateBytes?: number;
  /** Cluster mode: the Redis the edges share (redis://[:password@]host:port[/db]); unset: one edge on its own, no Redis. */
  redisUrl?: string;
  /** Cluster mode: the URL clients are sent to for this edge; unset: the URL it listens on. */
  publicUrl?: string;
  /** Cluster mode: how often the edge refreshes its registry entry (it expires after 3 missed beats). */
  clusterHeartbeatMs?: number;
}

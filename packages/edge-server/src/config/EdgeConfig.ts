import type { IceServer } from '@remotemedia/shared';
import type { LogLevel } from '../log/Logger.ts';

/** The edge's settings as loadConfig reads them: flat, one field per entry of the settings table (settings.ts). */
export interface EdgeConfig {
  host: string;
  port: number;
  /** Bearer token required for signaling when set. Never logged. */
  authToken: string | undefined;
  /** Origins allowed to open a session from a browser; empty allows any. */
  allowedOrigins: string[];
  dataDir: string;
  logLevel: LogLevel;
  maxSessions: number;
  maxMessageBytes: number;
  maxFrameBytes: number;
  maxPackageBytes: number;
  /** Package source bytes kept across sessions, so the same code crosses the wire once per edge. */
  maxPackageCacheBytes: number;
  maxSandboxesPerSession: number;
  maxSandboxes: number;
  /** Percentage of maxSandboxes in use from which a session may only hold fewer than half of those still free. */
  sandboxFairSharePercent: number;
  sandboxMemoryMb: number;
  sandboxStackKb: number;
  sandboxCallTimeoutMs: number;
  messagesPerSecond: number;
  /** Frames waiting per node before the oldest is dropped (and the client told). */
  maxQueuedFrames: number;
  /** A frame older than this (ms from its capture) is skipped before its node, and the client told; 0: never. */
  frameDeadlineMs: number;
  sandboxWorkers: number;
  /** Worker threads owning the sessions' WebRTC peers; a failed one costs only the sessions it held. */
  peerWorkers: number;
  /** How often persistent nodes' state is written to the data directory (0: only on save and shutdown). */
  snapshotIntervalMs: number;
  /** How long a session whose connection dropped is kept for its client to resume it. */
  sessionGraceMs: number;
  /** Time in-flight frames get to finish on shutdown before their sessions are closed anyway. */
  shutdownDrainMs: number;
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
  /** Cluster mode: the Redis the edges share (may carry a password: never logged). Unset: one edge on its own. */
  redisUrl: string | undefined;
  /** Cluster mode: the URL clients are sent to for this edge; unset: the URL it listens on. */
  publicUrl: string | undefined;
  /** Cluster mode: how often the edge refreshes its registry entry. */
  clusterHeartbeatMs: number;
}

import { DEFAULT_LIMITS, type ProtocolLimits } from '@remotemedia/shared/protocol';
import { resolveSandboxLimits, type SandboxLimits } from '../sandbox/index.ts';
import type { EdgeServerOptions } from './EdgeServerOptions.ts';
import { defaultConfig } from './settings.ts';

/** Options with no default: unset means none (no static files or SDK bundles, no auth, ICE follows the host, any UDP port, no cluster). */
type Unsettable = 'staticDir' | 'sdkDir' | 'authToken' | 'iceListenIp' | 'iceAnnouncedIp' | 'icePortRange' | 'redisUrl' | 'publicUrl';

/** EdgeServerOptions with every default filled in and the limits that depend on each other reconciled. */
export type EdgeSettings = Required<Omit<EdgeServerOptions, Unsettable | 'limits' | 'sandbox'>> &
  Pick<EdgeServerOptions, Unsettable> & {
    limits: ProtocolLimits;
    sandbox: SandboxLimits;
  };

/**
 * Fills every option the caller left unset from the settings table's defaults (the same ones the CLI starts
 * from), once, so no part of the edge keeps a fallback of its own. Throws RangeError for sandbox limits that
 * would make a sandbox unsafe or useless.
 */
export function resolveEdgeOptions(options: EdgeServerOptions = {}): EdgeSettings {
  const defaults = defaultConfig();
  const limits: ProtocolLimits = { ...DEFAULT_LIMITS, ...options.limits };
  // Reassembly must be able to hold at least one whole message of the configured size.
  limits.maxInflightBytes = Math.max(limits.maxInflightBytes, limits.maxMessageBytes);
  return {
    host: options.host ?? defaults.host,
    port: options.port ?? defaults.port,
    staticDir: options.staticDir,
    sdkDir: options.sdkDir,
    logLevel: options.logLevel ?? defaults.logLevel,
    limits,
    // Results leave a sandbox only within the protocol's bounds, checked before the host copies anything out.
    sandbox: resolveSandboxLimits({ maxResultBytes: limits.maxMessageBytes, maxFrameBytes: limits.maxFrameBytes }, options.sandbox),
    sandboxWorkers: options.sandboxWorkers ?? defaults.sandboxWorkers,
    peerWorkers: options.peerWorkers ?? defaults.peerWorkers,
    iceListenIp: options.iceListenIp,
    iceAnnouncedIp: options.iceAnnouncedIp,
    icePortRange: options.icePortRange,
    iceServers: options.iceServers ?? defaults.iceServers,
    maxQueuedFrames: options.maxQueuedFrames ?? defaults.maxQueuedFrames,
    frameDeadlineMs: options.frameDeadlineMs ?? defaults.frameDeadlineMs,
    maxPackageCacheBytes: options.maxPackageCacheBytes ?? defaults.maxPackageCacheBytes,
    authToken: options.authToken,
    allowedOrigins: options.allowedOrigins ?? defaults.allowedOrigins,
    dataDir: options.dataDir ?? defaults.dataDir,
    maxSessions: options.maxSessions ?? defaults.maxSessions,
    maxPackageBytes: options.maxPackageBytes ?? defaults.maxPackageBytes,
    maxSandboxesPerSession: options.maxSandboxesPerSession ?? defaults.maxSandboxesPerSession,
    maxSandboxes: options.maxSandboxes ?? defaults.maxSandboxes,
    sandboxFairSharePercent: options.sandboxFairSharePercent ?? defaults.sandboxFairSharePercent,
    messagesPerSecond: options.messagesPerSecond ?? defaults.messagesPerSecond,
    snapshotIntervalMs: options.snapshotIntervalMs ?? defaults.snapshotIntervalMs,
    sessionGraceMs: options.sessionGraceMs ?? defaults.sessionGraceMs,
    shutdownDrainMs: options.shutdownDrainMs ?? defaults.shutdownDrainMs,
    maxPendingConnections: options.maxPendingConnections ?? defaults.maxPendingConnections,
    helloTimeoutMs: options.helloTimeoutMs ?? defaults.helloTimeoutMs,
    headersTimeoutMs: options.headersTimeoutMs ?? defaults.headersTimeoutMs,
    requestTimeoutMs: options.requestTimeoutMs ?? defaults.requestTimeoutMs,
    // One whole message must always fit, or a legitimate large output would count as a reader not reading.
    maxSendQueueBytes: Math.max(options.maxSendQueueBytes ?? defaults.maxSendQueueBytes, limits.maxMessageBytes),
    errorRepliesPerSecond: options.errorRepliesPerSecond ?? defaults.errorRepliesPerSecond,
    maxBuiltinsPerSession: options.maxBuiltinsPerSession ?? defaults.maxBuiltinsPerSession,
    builtinCallTimeoutMs: options.builtinCallTimeoutMs ?? defaults.builtinCallTimeoutMs,
    maxStateBytes: options.maxStateBytes ?? defaults.maxStateBytes,
    redisUrl: options.redisUrl,
    publicUrl: options.publicUrl,
    clusterHeartbeatMs: options.clusterHeartbeatMs ?? defaults.clusterHeartbeatMs,
  };
}

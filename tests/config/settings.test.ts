import { availableParallelism } from 'node:os';
import { DEFAULT_STATE_LIMITS } from '@remotemedia/edge-server';
import {
  DEFAULT_BUILTIN_CALL_TIMEOUT_MS,
  DEFAULT_CLUSTER_HEARTBEAT_MS,
  DEFAULT_DATA_DIR,
  DEFAULT_ERROR_REPLIES_PER_SECOND,
  DEFAULT_FAIR_SHARE_PERCENT,
  DEFAULT_HEADERS_TIMEOUT_MS,
  DEFAULT_HELLO_TIMEOUT_MS,
  DEFAULT_HOST,
  DEFAULT_LOG_LEVEL,
  DEFAULT_MAX_BUILTINS_PER_SESSION,
  DEFAULT_MAX_PENDING_CONNECTIONS,
  DEFAULT_FRAME_DEADLINE_MS,
  DEFAULT_MAX_QUEUED_FRAMES,
  DEFAULT_MAX_SANDBOXES,
  DEFAULT_MAX_SANDBOXES_PER_SESSION,
  DEFAULT_MAX_SEND_QUEUE_BYTES,
  DEFAULT_MAX_SESSIONS,
  DEFAULT_MESSAGES_PER_SECOND,
  DEFAULT_PACKAGE_CACHE_BYTES,
  DEFAULT_PORT,
  DEFAULT_REQUEST_TIMEOUT_MS,
  DEFAULT_SESSION_GRACE_MS,
  DEFAULT_SHUTDOWN_DRAIN_MS,
  DEFAULT_SNAPSHOT_INTERVAL_MS,
  defaultConfig,
  loadConfig,
  resolveEdgeOptions,
  SETTINGS,
  settingsHelp,
  type EdgeConfig,
} from '@remotemedia/edge-server/config';
import { DEFAULT_SANDBOX_LIMITS } from '@remotemedia/edge-server/sandbox';
import { DEFAULT_MAX_PACKAGE_BYTES } from '@remotemedia/shared/package';
import { DEFAULT_LIMITS } from '@remotemedia/shared/protocol';
import { describe, expect, it } from 'vitest';

/**
 * Where each setting's default comes from. Every key of the table is listed, so a new setting cannot be added
 * without saying which constant its default is (or, for the few with none, what "unset" means).
 */
const SOURCES: Record<keyof EdgeConfig, unknown> = {
  host: DEFAULT_HOST,
  port: DEFAULT_PORT,
  authToken: undefined,
  allowedOrigins: [],
  dataDir: DEFAULT_DATA_DIR,
  logLevel: DEFAULT_LOG_LEVEL,
  maxSessions: DEFAULT_MAX_SESSIONS,
  maxMessageBytes: DEFAULT_LIMITS.maxMessageBytes,
  maxFrameBytes: DEFAULT_LIMITS.maxFrameBytes,
  maxPackageBytes: DEFAULT_MAX_PACKAGE_BYTES,
  maxPackageCacheBytes: DEFAULT_PACKAGE_CACHE_BYTES,
  maxSandboxesPerSession: DEFAULT_MAX_SANDBOXES_PER_SESSION,
  maxSandboxes: DEFAULT_MAX_SANDBOXES,
  sandboxFairSharePercent: DEFAULT_FAIR_SHARE_PERCENT,
  sandboxMemoryMb: DEFAULT_SANDBOX_LIMITS.memoryBytes / (1024 * 1024),
  sandboxStackKb: DEFAULT_SANDBOX_LIMITS.stackBytes / 1024,
  sandboxCallTimeoutMs: DEFAULT_SANDBOX_LIMITS.callTimeoutMs,
  messagesPerSecond: DEFAULT_MESSAGES_PER_SECOND,
  maxQueuedFrames: DEFAULT_MAX_QUEUED_FRAMES,
  frameDeadlineMs: DEFAULT_FRAME_DEADLINE_MS,
  sandboxWorkers: availableParallelism(),
  peerWorkers: availableParallelism(),
  snapshotIntervalMs: DEFAULT_SNAPSHOT_INTERVAL_MS,
  sessionGraceMs: DEFAULT_SESSION_GRACE_MS,
  shutdownDrainMs: DEFAULT_SHUTDOWN_DRAIN_MS,
  maxPendingConnections: DEFAULT_MAX_PENDING_CONNECTIONS,
  helloTimeoutMs: DEFAULT_HELLO_TIMEOUT_MS,
  headersTimeoutMs: DEFAULT_HEADERS_TIMEOUT_MS,
  requestTimeoutMs: DEFAULT_REQUEST_TIMEOUT_MS,
  maxSendQueueBytes: DEFAULT_MAX_SEND_QUEUE_BYTES,
  errorRepliesPerSecond: DEFAULT_ERROR_REPLIES_PER_SECOND,
  maxBuiltinsPerSession: DEFAULT_MAX_BUILTINS_PER_SESSION,
  builtinCallTimeoutMs: DEFAULT_BUILTIN_CALL_TIMEOUT_MS,
  maxStateBytes: DEFAULT_STATE_LIMITS.maxBytes,
  iceListenIp: undefined,
  iceAnnouncedIp: undefined,
  iceMinPort: 0,
  iceMaxPort: 0,
  iceServers: [],
  redisUrl: undefined,
  publicUrl: undefined,
  clusterHeartbeatMs: DEFAULT_CLUSTER_HEARTBEAT_MS,
};

/** Settings whose EdgeServerOptions field has the same name and meaning as the table's key. */
const SAME_NAME = SETTINGS.map((spec) => spec.key).filter(
  (key) =>
    !['maxMessageBytes', 'maxFrameBytes', 'sandboxMemoryMb', 'sandboxStackKb', 'sandboxCallTimeoutMs', 'iceMinPort', 'iceMaxPort'].includes(key),
);

describe('the settings table', () => {
  it('has one entry per setting, each with its own flag and environment variable', () => {
    const keys = SETTINGS.map((spec) => spec.key);
    expect([...keys].sort()).toEqual(Object.keys(SOURCES).sort());
    expect(new Set(SETTINGS.map((spec) => spec.flag)).size).toBe(SETTINGS.length);
    expect(new Set(SETTINGS.map((spec) => spec.env)).size).toBe(SETTINGS.length);
  });

  for (const spec of SETTINGS) {
    it(`takes the default of ${spec.key} from the constant it comes from, within its own range`, () => {
      expect(spec.default).toEqual(SOURCES[spec.key]);
      expect(defaultConfig()[spec.key]).toEqual(SOURCES[spec.key]);
      if (spec.type === 'integer') {
        expect(spec.default).toBeGreaterThanOrEqual(spec.min!);
        expect(spec.default).toBeLessThanOrEqual(spec.max!);
      }
    });
  }

  it('lists every setting in --help with its flag, environment variable and default', () => {
    const lines = settingsHelp().split('\n');
    expect(lines).toHaveLength(SETTINGS.length);
    for (const [i, spec] of SETTINGS.entries()) {
      const line = lines[i]!;
      expect(line).toContain(`--${spec.flag} `);
      expect(line).toContain(spec.env);
      expect(line).toContain(spec.description);
      if (typeof spec.default === 'number' || typeof spec.default === 'string') expect(line).toContain(`[${spec.default}]`);
    }
  });

  it('loads the settings it gained, maxQueuedFrames and shutdownDrainMs, from flags and the environment, and validates them', () => {
    const loaded = loadConfig(['--max-queued-frames', '5', '--shutdown-drain-ms=250'], { REMOTEMEDIA_MAX_PACKAGE_CACHE_BYTES: '1048576' });
    expect(loaded).toMatchObject({ maxQueuedFrames: 5, shutdownDrainMs: 250, maxPackageCacheBytes: 1048576 });
    expect(loadConfig([], { REMOTEMEDIA_MAX_QUEUED_FRAMES: '7', REMOTEMEDIA_SHUTDOWN_DRAIN_MS: '0' })).toMatchObject({
      maxQueuedFrames: 7,
      shutdownDrainMs: 0,
    });
    expect(() => loadConfig(['--max-queued-frames', '0'], {})).toThrow(
      'maxQueuedFrames (--max-queued-frames) must be an integer from 1 to 1024, got "0"',
    );
    expect(() => loadConfig([], { REMOTEMEDIA_SHUTDOWN_DRAIN_MS: 'soon' })).toThrow(
      'shutdownDrainMs (environment REMOTEMEDIA_SHUTDOWN_DRAIN_MS) must be an integer from 0 to 600000, got "soon"',
    );
  });

  it('hands out fresh lists, so changing a loaded config leaves the defaults alone', () => {
    defaultConfig().allowedOrigins.push('https://example.com');
    loadConfig([], {}).iceServers.push({ urls: 'stun:stun.example.com' });
    expect(defaultConfig().allowedOrigins).toEqual([]);
    expect(defaultConfig().iceServers).toEqual([]);
  });
});

describe('resolveEdgeOptions', () => {
  it('fills every unset option from the same defaults the CLI starts from', () => {
    const settings = resolveEdgeOptions({});
    const defaults = defaultConfig();
    for (const key of SAME_NAME) expect(settings[key as keyof typeof settings], key).toEqual(defaults[key]);
    expect(settings.limits).toEqual(DEFAULT_LIMITS);
    expect(settings.sandbox).toEqual(DEFAULT_SANDBOX_LIMITS);
    expect(settings.staticDir).toBeUndefined();
    expect(settings.icePortRange).toBeUndefined();
  });

  it('treats an option set to undefined as unset, and keeps every option that is set', () => {
    const settings = resolveEdgeOptions({ maxSessions: undefined, maxQueuedFrames: 9, shutdownDrainMs: 0, sandbox: { callTimeoutMs: 200 } });
    expect(settings.maxSessions).toBe(DEFAULT_MAX_SESSIONS);
    expect(settings.maxQueuedFrames).toBe(9);
    expect(settings.shutdownDrainMs).toBe(0);
    expect(settings.sandbox).toEqual({ ...DEFAULT_SANDBOX_LIMITS, callTimeoutMs: 200 });
  });

  it('keeps the limits that depend on maxMessageBytes able to hold one whole message', () => {
    const settings = resolveEdgeOptions({
      limits: { maxMessageBytes: 64 * 1024 * 1024, maxFrameBytes: 1024 * 1024 },
      maxSendQueueBytes: 1024 * 1024,
    });
    expect(settings.limits.maxInflightBytes).toBe(64 * 1024 * 1024);
    expect(settings.maxSendQueueBytes).toBe(64 * 1024 * 1024);
    // What leaves a sandbox is bounded by what the protocol can carry.
    expect(settings.sandbox).toMatchObject({ maxResultBytes: 64 * 1024 * 1024, maxFrameBytes: 1024 * 1024 });
  });

  it('refuses sandbox limits that would make a sandbox unsafe, naming the limit', () => {
    expect(() => resolveEdgeOptions({ sandbox: { stackBytes: 8 * 1024 * 1024 } })).toThrow('sandbox limit stackBytes must be between');
  });
});

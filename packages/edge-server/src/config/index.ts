/**
 * The edge's settings: the table (flags, environment variables, validation, defaults), loading them, filling
 * EdgeServerOptions from the same defaults, and the constants those defaults come from, each defined next to
 * the code that uses it and listed here so a test can hold the table to them.
 */
export { ConfigError, loadConfig, settingsHelp } from './loadConfig.ts';
export { defaultConfig, SETTINGS, type SettingSpec } from './settings.ts';
export type { EdgeConfig } from './EdgeConfig.ts';
export type { EdgeServerOptions } from './EdgeServerOptions.ts';
export { resolveEdgeOptions, type EdgeSettings } from './resolveEdgeOptions.ts';
export { DEFAULT_HEADERS_TIMEOUT_MS, DEFAULT_HOST, DEFAULT_PORT, DEFAULT_REQUEST_TIMEOUT_MS } from '../http/createHttpServer.ts';
export { DEFAULT_CLUSTER_HEARTBEAT_MS } from '../cluster/ClusterRegistry.ts';
export { redactRedisUrl } from '../cluster/redisUrl.ts';
export { DEFAULT_ERROR_REPLIES_PER_SECOND } from '../limits/ErrorReplyBudget.ts';
export {
  DEFAULT_MAX_BUILTINS_PER_SESSION,
  DEFAULT_MAX_SANDBOXES_PER_SESSION,
  DEFAULT_MAX_SEND_QUEUE_BYTES,
  DEFAULT_MESSAGES_PER_SECOND,
} from '../limits/sessionBudgets.ts';
export { DEFAULT_LOG_LEVEL } from '../log/Logger.ts';
export { DEFAULT_BUILTIN_CALL_TIMEOUT_MS } from '../nodes/BuiltinPool.ts';
export { DEFAULT_SNAPSHOT_INTERVAL_MS } from '../persistence/SnapshotScheduler.ts';
export { DEFAULT_DATA_DIR } from '../persistence/StateStore.ts';
export { DEFAULT_FAIR_SHARE_PERCENT, DEFAULT_MAX_SANDBOXES } from '../sandbox/SandboxPool.ts';
export { DEFAULT_FRAME_DEADLINE_MS, DEFAULT_MAX_QUEUED_FRAMES } from '../session/DeployedNode.ts';
export { DEFAULT_PACKAGE_CACHE_BYTES } from '../session/PackageCache.ts';
export { DEFAULT_MAX_SESSIONS, DEFAULT_SESSION_GRACE_MS, DEFAULT_SHUTDOWN_DRAIN_MS } from '../session/SessionRegistry.ts';
export { DEFAULT_HELLO_TIMEOUT_MS, DEFAULT_MAX_PENDING_CONNECTIONS } from '../signaling/pendingConnectionDefaults.ts';

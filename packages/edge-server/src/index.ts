// Public surface of the edge server package.
export { EdgeServer, type EdgeServerOptions } from './EdgeServer.ts';
export { createLogger, type Logger, type LogLevel } from './log/Logger.ts';
export { SandboxPool, NodeSandbox, type SandboxLimits } from './sandbox/index.ts';
export { EDGE_VERSION } from './version.ts';
export { checkSerializedState } from './state/checkSerializedState.ts';
export { DEFAULT_STATE_LIMITS, type StateLimits } from './state/StateLimits.ts';
export { loadConfig, ConfigError } from './config/loadConfig.ts';
export { defaultConfig } from './config/settings.ts';
export type { EdgeConfig } from './config/EdgeConfig.ts';
export { resolveEdgeIce, type EdgeIce, type IceSettings } from './webrtc/EdgeIce.ts';

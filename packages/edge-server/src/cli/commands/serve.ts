import { ErrorCode, RemoteMediaError } from '@remotemedia/shared';
import { ConfigError, loadConfig, settingsHelp } from '../../config/loadConfig.ts';
import { demoDir, sdkBundleDir } from '../../http/servedDirectories.ts';
import type { Command } from '../Command.ts';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from '../io/exitCodes.ts';
import { listenFailure } from '../io/listenFailure.ts';

export const serveCommand: Command = {
  name: 'serve',
  summary: 'start the edge server (demo page, signaling, sandboxes)',
  usage: `remotemedia-edge serve [--config file.json] [--name value ...]

Settings (flag, environment variable, meaning [default]); flags beat environment beat the config file:
${settingsHelp()}

The token (when set) is required for /signal, /status and /metrics: send "Authorization: Bearer <token>", or
append ?token=<token> to the URL (browsers cannot set WebSocket headers; the SDK's connect(url, { authToken })
does this). /healthz and /readyz stay open. SIGTERM or SIGINT shuts down gracefully: /readyz turns 503,
in-flight frames finish, persistent nodes are written to the data dir, then the process exits 0. With --redis
(cluster mode) SIGTERM first moves every session to the other edges (see remotemedia-edge drain).
`,
  async run(args, io) {
    let config;
    try {
      config = loadConfig(args);
    } catch (error) {
      if (error instanceof ConfigError) {
        io.err(`remotemedia-edge serve: ${error.message}\n`);
        return EXIT_USAGE;
      }
      throw error;
    }
    // Loaded here, not at the top: the server pulls in werift and its crypto (about half a second of module
    // loading), which the other commands and `--help` do not need.
    const { EdgeServer } = await import('../../EdgeServer.ts');
    const server = new EdgeServer({
      host: config.host,
      port: config.port,
      logLevel: config.logLevel,
      staticDir: demoDir(),
      sdkDir: sdkBundleDir(),
      authToken: config.authToken,
      allowedOrigins: config.allowedOrigins,
      dataDir: config.dataDir,
      maxSessions: config.maxSessions,
      limits: { maxMessageBytes: config.maxMessageBytes, maxFrameBytes: config.maxFrameBytes },
      maxPackageBytes: config.maxPackageBytes,
      maxPackageCacheBytes: config.maxPackageCacheBytes,
      maxSandboxesPerSession: config.maxSandboxesPerSession,
      maxSandboxes: config.maxSandboxes,
      sandboxFairSharePercent: config.sandboxFairSharePercent,
      sandbox: {
        memoryBytes: config.sandboxMemoryMb * 1024 * 1024,
        stackBytes: config.sandboxStackKb * 1024,
        callTimeoutMs: config.sandboxCallTimeoutMs,
      },
      messagesPerSecond: config.messagesPerSecond,
      maxQueuedFrames: config.maxQueuedFrames,
      frameDeadlineMs: config.frameDeadlineMs,
      sandboxWorkers: config.sandboxWorkers,
      peerWorkers: config.peerWorkers,
      snapshotIntervalMs: config.snapshotIntervalMs,
      sessionGraceMs: config.sessionGraceMs,
      shutdownDrainMs: config.shutdownDrainMs,
      maxPendingConnections: config.maxPendingConnections,
      helloTimeoutMs: config.helloTimeoutMs,
      headersTimeoutMs: config.headersTimeoutMs,
      requestTimeoutMs: config.requestTimeoutMs,
      maxSendQueueBytes: config.maxSendQueueBytes,
      errorRepliesPerSecond: config.errorRepliesPerSecond,
      maxBuiltinsPerSession: config.maxBuiltinsPerSession,
      builtinCallTimeoutMs: config.builtinCallTimeoutMs,
      maxStateBytes: config.maxStateBytes,
      iceListenIp: config.iceListenIp,
      iceAnnouncedIp: config.iceAnnouncedIp,
      icePortRange: config.iceMinPort !== 0 ? [config.iceMinPort, config.iceMaxPort] : undefined,
      iceServers: config.iceServers,
      redisUrl: config.redisUrl,
      publicUrl: config.publicUrl,
      clusterHeartbeatMs: config.clusterHeartbeatMs,
    });
    // Listening before the signal handlers exist would let an early SIGTERM kill the process mid-start.
    const stopped = new Promise<number>((resolve) => {
      let stopping = false;
      const stop = (signal: NodeJS.Signals): void => {
        if (stopping) {
          // A second signal: the operator does not want to wait for the graceful path.
          io.err(`${signal} again: exiting without waiting\n`);
          resolve(EXIT_FAILURE);
          return;
        }
        stopping = true;
        io.err(`${signal}: shutting down (in-flight frames finish, persistent nodes are saved)\n`);
        server.close().then(
          () => resolve(EXIT_OK),
          (error: unknown) => {
            io.err(`remotemedia-edge serve: shutdown failed: ${String(error)}\n`);
            resolve(EXIT_FAILURE);
          },
        );
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    let url: string;
    try {
      url = await server.listen();
    } catch (error) {
      // A setting that is well-formed but unusable on this machine (e.g. an ICE address it does not have).
      if (error instanceof RemoteMediaError && error.code === ErrorCode.InvalidConfig) {
        io.err(`remotemedia-edge serve: ${error.message}\n`);
        return EXIT_USAGE;
      }
      const failure = listenFailure(error);
      if (failure === undefined) throw error;
      io.err(`remotemedia-edge serve: ${failure.message}\n`);
      return failure.exitCode;
    }
    io.out(`RemoteMedia edge ready. Open ${url}/ in a browser.\n`);
    return stopped;
  },
};

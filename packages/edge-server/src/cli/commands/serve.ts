import { fileURLToPath } from 'node:url';
import { EdgeServer } from '../../EdgeServer.ts';
import { ConfigError, loadConfig, settingsHelp } from '../../config/loadConfig.ts';
import type { Command } from '../Command.ts';

export const serveCommand: Command = {
  name: 'serve',
  summary: 'start the edge server (demo page, signaling, sandboxes)',
  usage: `remotemedia-edge serve [--config file.json] [--name value ...]

Settings (flag, environment variable, meaning [default]); flags beat environment beat the config file:
${settingsHelp()}
`,
  async run(args, io) {
    let config;
    try {
      config = loadConfig(args);
    } catch (error) {
      if (error instanceof ConfigError) {
        io.err(`remotemedia-edge: ${error.message}\n`);
        return 2;
      }
      throw error;
    }
    const server = new EdgeServer({
      host: config.host,
      port: config.port,
      logLevel: config.logLevel,
      staticDir: fileURLToPath(new URL('../../../../../demo/dist', import.meta.url)),
      limits: { maxMessageBytes: config.maxMessageBytes, maxFrameBytes: config.maxFrameBytes },
      sandbox: {
        memoryBytes: config.sandboxMemoryMb * 1024 * 1024,
        stackBytes: config.sandboxStackKb * 1024,
        callTimeoutMs: config.sandboxCallTimeoutMs,
      },
      sandboxWorkers: config.sandboxWorkers,
    });
    const url = await server.listen();
    io.out(`RemoteMedia edge ready. Open ${url}/ in a browser.\n`);
    await new Promise<void>((resolve) => {
      const stop = (signal: string): void => {
        io.err(`${signal}: shutting down\n`);
        void server.close().then(resolve);
      };
      process.once('SIGINT', () => stop('SIGINT'));
      process.once('SIGTERM', () => stop('SIGTERM'));
    });
    return 0;
  },
};

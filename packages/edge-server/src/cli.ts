import { fileURLToPath } from 'node:url';
import { EdgeServer } from './EdgeServer.ts';
import type { LogLevel } from './log/Logger.ts';

const USAGE = `remotemedia-edge: the RemoteMedia edge server

Usage:
  remotemedia-edge serve [--host 127.0.0.1] [--port 8080] [--log-level info]
  remotemedia-edge --help

Environment: HOST, PORT, LOG_LEVEL (debug, info, warn, error, silent).
`;

function flag(args: string[], name: string): string | undefined {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? args[index + 1] : undefined;
}

async function main(args: string[]): Promise<void> {
  const [command] = args;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(USAGE);
    return;
  }
  if (command !== 'serve') {
    process.stderr.write(`unknown command "${command}"\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  const portText = flag(args, 'port') ?? process.env.PORT ?? '8080';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`invalid port "${portText}": use an integer from 0 to 65535\n`);
    process.exitCode = 2;
    return;
  }
  const server = new EdgeServer({
    host: flag(args, 'host') ?? process.env.HOST ?? '127.0.0.1',
    port,
    logLevel: (flag(args, 'log-level') ?? process.env.LOG_LEVEL ?? 'info') as LogLevel,
    staticDir: fileURLToPath(new URL('../../../demo/dist', import.meta.url)),
  });
  const url = await server.listen();
  process.stdout.write(`RemoteMedia edge ready. Open ${url}/ in a browser.\n`);
  const stop = (signal: string): void => {
    process.stderr.write(`${signal}: shutting down\n`);
    void server.close().then(() => process.exit(0));
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`remotemedia-edge: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

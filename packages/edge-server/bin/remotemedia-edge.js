#!/usr/bin/env node
// The `remotemedia-edge` bin (and `npm start`): the CLI as built by `npm run build`, plain JavaScript, so
// nothing compiles at launch. From the TypeScript sources, for development: node
// --conditions=@remotemedia/source --import tsx packages/edge-server/src/cli.ts
const cli = new URL('../dist/cli.js', import.meta.url);
try {
  await import(cli.href);
} catch (error) {
  // A checkout that was never built: say how to build, not Node's stack for a missing module.
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || error.url !== cli.href) throw error;
  process.stderr.write(`remotemedia-edge: ${cli.pathname} is missing: this copy was not built; run \`npm run build\` at the repository root\n`);
  process.exit(1);
}

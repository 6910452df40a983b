#!/usr/bin/env node
// The `remotemedia-edge` bin (and `npm start`): the CLI as built by `npm run build`, plain JavaScript, so
// nothing compiles at launch. From the TypeScript sources, for development: node
// --conditions=@remotemedia/source --import tsx packages/edge-server/src/cli.ts
import '../dist/cli.js';

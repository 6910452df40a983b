/**
 * File name of the chunk holding the TypeScript transform in the SDK's bundles (dist/bundle/, served by the
 * edge at /sdk/): the ESM build names its split chunk so, and the script-tag build imports it by this name.
 * Imports nothing, so the bundles' build config can read it too.
 */
export const TYPESCRIPT_TRANSFORM_FILE = 'remotemedia-typescript.js';

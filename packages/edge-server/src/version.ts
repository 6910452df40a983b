/** Reported in `welcome` and /status; kept in step with package.json by the release process. */
export const EDGE_VERSION = '0.1.0';

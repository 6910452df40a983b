/** Sent in `hello` and stamped into package manifests. */
export const SDK_VERSION = '0.1.0';

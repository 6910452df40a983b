import { record } from './containers.ts';
import type { GuestConfig } from './guestApi.ts';
import { jsonParse } from './intrinsics.ts';

/** Limits, set once by the host through configure() before user code runs; the host enforces all of them again. */
export const limits = record<GuestConfig>();
limits.depth = 0;
limits.values = 0;
limits.bytes = 0;
limits.binaryParts = 0;
limits.methods = 0;
limits.consoleEntries = 0;
limits.consoleBytes = 0;
limits.consoleEntryChars = 0;

export const configure = (json: string): void => {
  const c = jsonParse(json) as GuestConfig;
  limits.depth = c.depth;
  limits.values = c.values;
  limits.bytes = c.bytes;
  limits.binaryParts = c.binaryParts;
  limits.methods = c.methods;
  limits.consoleEntries = c.consoleEntries;
  limits.consoleBytes = c.consoleBytes;
  limits.consoleEntryChars = c.consoleEntryChars;
};

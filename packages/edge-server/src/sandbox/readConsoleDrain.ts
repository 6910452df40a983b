import { CONSOLE_MAX_BYTES_PER_CALL, CONSOLE_MAX_ENTRIES_PER_CALL, CONSOLE_MAX_ENTRY_CHARS } from './SandboxLimits.ts';
import { TRUNCATED_SUFFIX, type ConsoleDrain, type ConsoleLevel } from './guest/guestApi.ts';
import type { ConsoleEntry } from './workerProtocol.ts';

/** Longest console drain a guest can honestly produce under the caps it was configured with (JSON-escaped). */
export const CONSOLE_DRAIN_MAX_CHARS = 6 * (CONSOLE_MAX_BYTES_PER_CALL + CONSOLE_MAX_ENTRY_CHARS) + 64 * (CONSOLE_MAX_ENTRIES_PER_CALL + 1);

/**
 * The console entries to deliver from a guest's drain (its JSON text; undefined when it could not be read).
 * The guest's own caps can be subverted (its console runs next to user code), so count and bytes per call are
 * enforced again here, and the excess is replaced with one note saying how much was dropped.
 */
export function readConsoleDrain(text: string | undefined): ConsoleEntry[] {
  if (text === '') return [];
  let drained: Partial<ConsoleDrain> | undefined;
  let unreadable = text === undefined;
  try {
    if (text !== undefined) drained = JSON.parse(text) as Partial<ConsoleDrain>;
  } catch {
    unreadable = true;
  }
  const entries: ConsoleEntry[] = [];
  let dropped = typeof drained?.d === 'number' && Number.isSafeInteger(drained.d) && drained.d > 0 ? drained.d : 0;
  let bytes = 0;
  for (const item of Array.isArray(drained?.e) ? (drained.e as unknown[]) : []) {
    const entry = item as { level?: unknown; text?: unknown } | null;
    if (entry === null || typeof entry !== 'object' || typeof entry.text !== 'string' || !isConsoleLevel(entry.level)) continue;
    const line = entry.text.length > CONSOLE_MAX_ENTRY_CHARS ? `${entry.text.slice(0, CONSOLE_MAX_ENTRY_CHARS)}${TRUNCATED_SUFFIX}` : entry.text;
    const size = Buffer.byteLength(line, 'utf8');
    if (entries.length >= CONSOLE_MAX_ENTRIES_PER_CALL || bytes + size > CONSOLE_MAX_BYTES_PER_CALL) {
      dropped++;
      continue;
    }
    bytes += size;
    entries.push({ level: entry.level, text: line });
  }
  if (unreadable) {
    entries.push({ level: 'warn', text: 'console output of this call was dropped: the sandbox sent more than the console limits allow' });
  } else if (dropped > 0) {
    entries.push({
      level: 'warn',
      text: `${dropped} console messages dropped (more than ${CONSOLE_MAX_ENTRIES_PER_CALL} messages or ${CONSOLE_MAX_BYTES_PER_CALL / 1024} KiB in one call)`,
    });
  }
  return entries;
}

function isConsoleLevel(value: unknown): value is ConsoleLevel {
  return value === 'log' || value === 'info' || value === 'warn' || value === 'error' || value === 'debug';
}

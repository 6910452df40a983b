import { Session } from 'node:inspector/promises';
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Asks V8 (through the inspector protocol, in-process) where a class was defined: its function location
 * names a script, and the script's URL is its module. This is what lets Node users write
 * `session.remote(SimpleCalculator)` with no extra annotation.
 */
export async function locateClass(cls: unknown): Promise<string | undefined> {
  const session = new Session();
  session.connect();
  const key = `__remotemediaLocate${Math.random().toString(36).slice(2)}`;
  const scripts = new Map<string, string>();
  session.on('Debugger.scriptParsed', (message) => {
    scripts.set(message.params.scriptId, message.params.url);
  });
  try {
    // Enabling the debugger replays scriptParsed for every script already loaded.
    await session.post('Debugger.enable');
    (globalThis as Record<string, unknown>)[key] = cls;
    const { result } = await session.post('Runtime.evaluate', { expression: `globalThis[${JSON.stringify(key)}]` });
    if (result.objectId === undefined) return undefined;
    const { internalProperties } = await session.post('Runtime.getProperties', { objectId: result.objectId, ownProperties: true });
    const location = internalProperties?.find((p) => p.name === '[[FunctionLocation]]')?.value?.value as { scriptId?: string } | undefined;
    const url = location?.scriptId === undefined ? undefined : scripts.get(location.scriptId);
    if (url === undefined || url === '') return undefined;
    if (url.startsWith('file:')) return url.split('?')[0];
    return isAbsolute(url) ? pathToFileURL(url.split('?')[0]!).href : undefined;
  } finally {
    delete (globalThis as Record<string, unknown>)[key];
    await session.post('Debugger.disable').catch(() => undefined);
    session.disconnect();
  }
}

import { Session } from 'node:inspector/promises';
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Asks V8 (through the inspector protocol, in-process) where a class was defined: its function location names
 * a script, and the script's URL is its module. This is what lets Node users write
 * `session.remote(SimpleCalculator)` with no extra annotation.
 *
 * Enabling the debugger replays `scriptParsed` for every script already loaded, which costs 20-25 ms in a
 * process with the SDK loaded; doing that on every `remote()` made a first call ~50 ms. So one inspector
 * session is opened on first use and kept: the debugger stays enabled (no breakpoints are ever set, so it never
 * pauses the program), the replay indexes every loaded script once, and scripts loaded later are added as V8
 * reports them. A class is located once: the module a class object came from never changes.
 */
export class ClassLocator {
  private session: Session | undefined;
  private enabled: Promise<void> | undefined;
  private readonly scripts = new Map<string, string>();
  private readonly located = new WeakMap<object, string | undefined>();
  private nextKey = 0;

  async locate(cls: unknown): Promise<string | undefined> {
    // Only functions have a [[FunctionLocation]].
    if (typeof cls !== 'function') return undefined;
    if (this.located.has(cls)) return this.located.get(cls);
    const url = await this.lookUp(cls);
    this.located.set(cls, url);
    return url;
  }

  /** Disconnects the inspector session and forgets its script index; the next lookup opens a new one. */
  close(): void {
    this.session?.disconnect();
    this.session = undefined;
    this.enabled = undefined;
    this.scripts.clear();
  }

  private async lookUp(cls: object): Promise<string | undefined> {
    const session = await this.open();
    const key = `__remotemediaLocate${process.pid}_${this.nextKey++}`;
    const scope = globalThis as Record<string, unknown>;
    try {
      scope[key] = cls;
      const { result } = await session.post('Runtime.evaluate', { expression: `globalThis[${JSON.stringify(key)}]` });
      if (result.objectId === undefined) return undefined;
      try {
        const { internalProperties } = await session.post('Runtime.getProperties', { objectId: result.objectId, ownProperties: true });
        const location = internalProperties?.find((p) => p.name === '[[FunctionLocation]]')?.value?.value as { scriptId?: string } | undefined;
        return location?.scriptId === undefined ? undefined : moduleUrlOf(this.scripts.get(location.scriptId));
      } finally {
        await session.post('Runtime.releaseObject', { objectId: result.objectId }).catch(() => undefined);
      }
    } finally {
      delete scope[key];
    }
  }

  private async open(): Promise<Session> {
    if (this.session === undefined) {
      const session = new Session();
      session.connect();
      session.on('Debugger.scriptParsed', (message) => {
        if (message.params.url !== '') this.scripts.set(message.params.scriptId, message.params.url);
      });
      this.session = session;
      this.enabled = session.post('Debugger.enable').then(() => undefined);
    }
    const session = this.session;
    try {
      await this.enabled;
    } catch (error) {
      // Another inspector client may own the debugger; try afresh next time instead of keeping a dead session.
      if (this.session === session) this.close();
      throw error;
    }
    return session;
  }
}

/** A script URL as a module URL: file: URLs without their query, absolute paths made file: URLs. */
function moduleUrlOf(url: string | undefined): string | undefined {
  if (url === undefined || url === '') return undefined;
  if (url.startsWith('file:')) return url.split('?')[0];
  return isAbsolute(url) ? pathToFileURL(url.split('?')[0]!).href : undefined;
}

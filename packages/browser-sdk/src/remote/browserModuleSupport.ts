import { FetchSourceReader } from '../packager/FetchSourceReader.ts';
import { packModule } from '../packager/packModule.ts';
import type { ModuleSupport } from './ModuleSupport.ts';

/** The class's own `static moduleUrl` (set to `import.meta.url`): the one place a browser can learn it. */
export function declaredModuleUrl(cls: unknown): string | undefined {
  const value = (cls as { moduleUrl?: unknown }).moduleUrl;
  return typeof value === 'string' || value instanceof URL ? String(value) : undefined;
}

/** Browsers: classes declare their module URL; sources are fetched from the page's server. */
export function browserModuleSupport(): ModuleSupport {
  return {
    locate: async (cls) => declaredModuleUrl(cls),
    pack: (moduleUrl, exportName) => packModule(moduleUrl, exportName, { reader: new FetchSourceReader() }),
  };
}

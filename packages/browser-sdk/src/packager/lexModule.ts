import { init, parse } from 'es-module-lexer';
import { ErrorCode, RemoteMediaError } from '@remotemedia/shared/errors';

/** One module request found in a source: a static import, a re-export or a literal dynamic `import()`. */
export interface ModuleRequest {
  /** The specifier exactly as written (query string included). */
  readonly specifier: string;
  readonly dynamic: boolean;
  /** 1-based line of the request, for messages. */
  readonly line: number;
}

export interface LexedModule {
  /** Distinct requests in source order. */
  readonly requests: readonly ModuleRequest[];
  /** Names the module exports itself or re-exports by name. */
  readonly exportNames: readonly string[];
  /** Specifiers of `export * from '...'`, whose names are exported too (except `default`). */
  readonly starExportSpecifiers: readonly string[];
  /** False for a script without import/export syntax (how CommonJS shows up). */
  readonly hasModuleSyntax: boolean;
}

let ready: Promise<void> | undefined;

/** Compiles the lexer's WebAssembly once per realm. */
export function initLexer(): Promise<void> {
  ready ??= init();
  return ready;
}

function lineAt(source: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index && i < source.length; i += 1) if (source.charCodeAt(i) === 10) line += 1;
  return line;
}

/**
 * Lists what a JavaScript module (TypeScript already transpiled, so the requests are exactly those the
 * edge will load) imports and exports. Call `initLexer()` first.
 */
export function lexModule(source: string, displayName: string): LexedModule {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(source, displayName);
  } catch (error) {
    const index = typeof (error as { idx?: unknown }).idx === 'number' ? (error as { idx: number }).idx : -1;
    const where = index >= 0 ? ` (line ${lineAt(source, index)})` : '';
    throw new RemoteMediaError(ErrorCode.CompileError, `Cannot parse ${displayName}${where}: ${String(error)}`, {
      cause: error,
    });
  }
  const [imports, exports, , hasModuleSyntax] = parsed;
  const requests: ModuleRequest[] = [];
  const seen = new Set<string>();
  for (const record of imports) {
    if (record.type === 'import-meta') continue;
    let specifier: string;
    if (record.type === 'dynamic') {
      // 3.x reports a template literal as a glob (`./locales/*.js`) and any other expression as undefined.
      if (record.specifier === undefined || record.glob) {
        const line = lineAt(source, record.importStart);
        const expression = source.slice(record.importStart, record.importEnd).replace(/\s+/g, ' ').slice(0, 120);
        throw new RemoteMediaError(
          ErrorCode.UnresolvableImport,
          `${displayName}:${line}: dynamic import with a computed specifier cannot be packed: ${expression}. ` +
            "Use a string literal, e.g. a switch over import('./a.js') / import('./b.js').",
        );
      }
      specifier = record.specifier;
    } else {
      if (record.typeOnly) continue;
      specifier = record.specifier;
    }
    if (seen.has(specifier)) continue;
    seen.add(specifier);
    requests.push({ specifier, dynamic: record.type === 'dynamic', line: lineAt(source, record.importStart) });
  }
  const exportNames: string[] = [];
  const starExportSpecifiers: string[] = [];
  for (const record of exports) {
    if (record.typeOnly) continue;
    if (record.type === 'reexport-all') starExportSpecifiers.push(record.from);
    else exportNames.push(record.name);
  }
  return { requests, exportNames, starExportSpecifiers, hasModuleSyntax };
}

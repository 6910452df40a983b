/**
 * Node flags that run a TypeScript entry of this repository from its sources: tsx for the TypeScript, and the
 * export condition under which the workspace packages resolve to their src/ instead of their build (dist/),
 * so a test never depends on `npm run build` having run.
 */
export const FROM_SOURCES = ['--conditions=@remotemedia/source', '--import', 'tsx'];

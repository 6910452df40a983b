/** The error code of a rejected request, or its message when it has none. */
export function codeOf(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : String((error as Error).message ?? error).slice(0, 80);
}

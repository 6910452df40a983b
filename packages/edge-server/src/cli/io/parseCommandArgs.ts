import { parseArgs } from 'node:util';
import { UsageError } from '../UsageError.ts';

/** The flags a command takes: each a string value or a boolean switch. */
export type FlagSpec = Readonly<Record<string, { readonly type: 'string' | 'boolean' }>>;

export interface ParsedCommandArgs<F extends FlagSpec> {
  /** Flags given, typed by their spec; absent flags are undefined. */
  readonly values: { [K in keyof F]?: F[K]['type'] extends 'boolean' ? boolean : string };
  readonly positionals: readonly string[];
}

/**
 * `node:util` parseArgs in strict mode, with its errors (unknown flag, missing value) turned into usage errors
 * and the positional count checked, so every command rejects a malformed line the same way.
 */
export function parseCommandArgs<const F extends FlagSpec>(
  args: string[],
  flags: F,
  positionals: { names: readonly string[] },
): ParsedCommandArgs<F> {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { ...flags }, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { names } = positionals;
  if (parsed.positionals.length < names.length) {
    throw new UsageError(`missing ${names.slice(parsed.positionals.length).map((name) => `<${name}>`).join(' ')}`);
  }
  if (parsed.positionals.length > names.length) {
    throw new UsageError(`unexpected argument "${parsed.positionals[names.length]}"`);
  }
  return { values: parsed.values as ParsedCommandArgs<F>['values'], positionals: parsed.positionals };
}

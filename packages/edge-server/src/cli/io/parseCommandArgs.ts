import { parseArgs } from 'node:util';
import { closestNames } from '@remotemedia/shared';
import { UsageError } from '../UsageError.ts';

/** The flags a command takes: each a string value (named in messages by `value`) or a boolean switch. */
export type FlagSpec = Readonly<Record<string, { readonly type: 'string' | 'boolean'; readonly short?: string; readonly value?: string }>>;

export interface ParsedCommandArgs<F extends FlagSpec> {
  /** Flags given, typed by their spec; absent flags are undefined. A flag given twice keeps its last value. */
  readonly values: { [K in keyof F]?: F[K]['type'] extends 'boolean' ? boolean : string };
  readonly positionals: readonly string[];
}

/** Handled by main before a command parses its own flags, so a misspelling of them is still worth a suggestion. */
const GLOBAL_FLAGS = ['help', 'version'];

/**
 * Splits a command line with `node:util` parseArgs (tokens, non-strict) and checks the tokens here, so every
 * mistake is one usage error a person can act on: an unknown flag gets "did you mean", rather than parseArgs'
 * own advice about `--`.
 */
export function parseCommandArgs<const F extends FlagSpec>(
  args: string[],
  flags: F,
  positionals: { names: readonly string[] },
): ParsedCommandArgs<F> {
  const { tokens } = parseArgs({ args, options: { ...flags }, allowPositionals: true, strict: false, tokens: true });
  const values: Record<string, string | boolean> = {};
  const given: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'positional') given.push(token.value);
    if (token.kind !== 'option') continue;
    const spec = flags[token.name];
    if (spec === undefined) throw new UsageError(unknownFlag(token.rawName, Object.keys(flags)));
    if (spec.type === 'boolean') {
      if (token.value !== undefined) throw new UsageError(`${token.rawName} takes no value, got "${token.value}"`);
      values[token.name] = true;
      continue;
    }
    const shape = `${token.rawName} <${spec.value ?? 'value'}>`;
    if (token.value === undefined) throw new UsageError(`${token.rawName} needs a value (${shape})`);
    // parseArgs takes the next argument whatever it is; "--input --output b" almost always means a value was left
    // out. A value that does start with "-" can still be given inline: --input=-x.wav.
    if (!token.inlineValue && token.value.startsWith('-')) {
      throw new UsageError(`${token.rawName} needs a value (${shape}), got the flag ${token.value}`);
    }
    values[token.name] = token.value;
  }
  const { names } = positionals;
  if (given.length < names.length) {
    const missing = names.slice(given.length).map((name) => `<${name}>`);
    throw new UsageError(`missing ${missing.join(' ')}`);
  }
  if (given.length > names.length) throw new UsageError(`unexpected argument "${given[names.length]}"`);
  return { values: values as ParsedCommandArgs<F>['values'], positionals: given };
}

/** `unknown flag --jsn; did you mean --json?`, or the flags there are when nothing is close. */
export function unknownFlag(rawName: string, known: readonly string[]): string {
  const name = rawName.replace(/^-+/, '');
  // A one-letter flag is too short to guess from.
  const [closest] = rawName.startsWith('--') ? closestNames(name, [...known, ...GLOBAL_FLAGS], 1) : [];
  if (closest !== undefined) return `unknown flag ${rawName}; did you mean --${closest}?`;
  if (known.length === 0) return `unknown flag ${rawName}; this command takes no flags`;
  return `unknown flag ${rawName}; the flags are ${known.map((flag) => `--${flag}`).join(', ')}`;
}

import type { ConfigField, ConfigSchema, NumberField } from './ConfigSchema.ts';
import type { ValidationIssue } from './ValidationError.ts';
import { closestNames } from './closestNames.ts';
import { describeValue } from './describeValue.ts';

export type ConfigValidation =
  | { readonly ok: true; readonly value: Record<string, unknown> }
  | { readonly ok: false; readonly issues: readonly ValidationIssue[] };

/**
 * Checks `config` against `schema` and fills in defaults. Reports every issue with its path
 * (`config.targetSampleRate: must be an integer between 8000 and 192000, got "abc"`).
 * Unknown keys are errors: a typo must not silently fall back to a default.
 */
export function validateConfig(schema: ConfigSchema, config: unknown, path = 'config'): ConfigValidation {
  const issues: ValidationIssue[] = [];
  const source = config ?? {};
  if (typeof source !== 'object' || Array.isArray(source)) {
    return { ok: false, issues: [{ path, message: `must be an object, got ${describeValue(config)}` }] };
  }
  const value: Record<string, unknown> = {};
  const known = Object.keys(schema.properties);
  for (const [key, given] of Object.entries(source as Record<string, unknown>)) {
    if (given === undefined) continue;
    const field = Object.hasOwn(schema.properties, key) ? schema.properties[key] : undefined;
    if (!field) {
      const close = closestNames(key, known, 1);
      const hint = close.length > 0 ? ` (did you mean "${close[0]}"?)` : '';
      const expected = known.length > 0 ? `expected one of ${known.join(', ')}` : 'this node takes no options';
      issues.push({ path: `${path}.${key}`, message: `unknown option${hint}; ${expected}` });
      continue;
    }
    const problem = checkField(field, given);
    if (problem) issues.push({ path: `${path}.${key}`, message: problem });
    else value[key] = given;
  }
  for (const [key, field] of Object.entries(schema.properties)) {
    if (key in value || issues.some((issue) => issue.path === `${path}.${key}`)) continue;
    if ('default' in field && field.default !== undefined) value[key] = field.default;
    else if (schema.required?.includes(key)) issues.push({ path: `${path}.${key}`, message: `is required (${field.description})` });
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value };
}

/** The message for a bad value, or undefined when it fits. */
function checkField(field: ConfigField, value: unknown): string | undefined {
  const got = `got ${describeValue(value)}`;
  switch (field.type) {
    case 'number':
    case 'integer': {
      const fits =
        typeof value === 'number' &&
        Number.isFinite(value) &&
        (field.type === 'number' || Number.isInteger(value)) &&
        (field.minimum === undefined || value >= field.minimum) &&
        (field.maximum === undefined || value <= field.maximum) &&
        (field.exclusiveMinimum === undefined || value > field.exclusiveMinimum);
      return fits ? undefined : `must be ${describeNumber(field)}, ${got}`;
    }
    case 'string': {
      if (typeof value !== 'string') {
        return field.enum ? `must be one of ${field.enum.map((e) => `"${e}"`).join(', ')}, ${got}` : `must be a string, ${got}`;
      }
      if (field.enum && !field.enum.includes(value)) {
        const close = closestNames(value, field.enum, 1);
        const hint = close.length > 0 ? ` (did you mean "${close[0]}"?)` : '';
        return `must be one of ${field.enum.map((e) => `"${e}"`).join(', ')}, ${got}${hint}`;
      }
      if (field.minLength !== undefined && value.length < field.minLength) {
        return `must be at least ${field.minLength} characters long, ${got}`;
      }
      if (field.maxLength !== undefined && value.length > field.maxLength) {
        return `must be at most ${field.maxLength} characters long, got ${value.length} characters`;
      }
      return undefined;
    }
    case 'boolean':
      return typeof value === 'boolean' ? undefined : `must be true or false, ${got}`;
    case 'function':
      return typeof value === 'function' ? undefined : `must be a function, ${got}`;
  }
}

function describeNumber(field: NumberField): string {
  const noun = field.type === 'integer' ? 'an integer' : 'a number';
  const { minimum, maximum, exclusiveMinimum } = field;
  if (minimum !== undefined && maximum !== undefined) return `${noun} between ${minimum} and ${maximum}`;
  if (exclusiveMinimum !== undefined && maximum !== undefined) {
    return `${noun} greater than ${exclusiveMinimum} and at most ${maximum}`;
  }
  if (minimum !== undefined) return `${noun} of at least ${minimum}`;
  if (exclusiveMinimum !== undefined) return `${noun} greater than ${exclusiveMinimum}`;
  if (maximum !== undefined) return `${noun} of at most ${maximum}`;
  return `a finite ${field.type === 'integer' ? 'integer' : 'number'}`;
}

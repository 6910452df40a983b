/**
 * A deliberately small, JSON-serializable description of a node's config: enough for validation with
 * useful messages, for defaults, and for a UI to render a form. Not JSON Schema, but shaped like it.
 */
export interface NumberField {
  readonly type: 'number' | 'integer';
  readonly description: string;
  readonly minimum?: number;
  readonly maximum?: number;
  /** The value must be strictly greater (e.g. a sample rate or fps of 0 means nothing). */
  readonly exclusiveMinimum?: number;
  readonly default?: number;
}

export interface StringField {
  readonly type: 'string';
  readonly description: string;
  readonly enum?: readonly string[];
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly default?: string;
}

export interface BooleanField {
  readonly type: 'boolean';
  readonly description: string;
  readonly default?: boolean;
}

/** A JavaScript function: cannot cross the wire, so a node with one is local only. */
export interface FunctionField {
  readonly type: 'function';
  readonly description: string;
}

export type ConfigField = NumberField | StringField | BooleanField | FunctionField;

export interface ConfigSchema {
  readonly properties: Readonly<Record<string, ConfigField>>;
  /** Fields without a default that must be given. */
  readonly required?: readonly string[];
}

/** The defaults a schema declares, as a config object. */
export function schemaDefaults(schema: ConfigSchema): Record<string, unknown> {
  const defaults: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(schema.properties)) {
    if ('default' in field && field.default !== undefined) defaults[key] = field.default;
  }
  return defaults;
}

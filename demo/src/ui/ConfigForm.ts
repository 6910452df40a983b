import type { ConfigField, ConfigSchema } from '@remotemedia/browser-sdk';
import { h } from './dom.ts';

/**
 * A form generated from a catalogue node's config schema: a number input with the field's range, a select
 * for an enum, a checkbox for a boolean. Defaults are filled in; the edge validates what is sent.
 */
export class ConfigForm {
  readonly element: HTMLElement;
  private readonly readers: Array<() => [string, unknown] | undefined> = [];

  constructor(schema: ConfigSchema) {
    this.element = h('div', { className: 'config-form' });
    const fields = Object.entries(schema.properties).filter(([, field]) => field.type !== 'function');
    if (fields.length === 0) this.element.append(h('p', { className: 'hint' }, 'No settings.'));
    for (const [key, field] of fields) this.element.append(this.row(key, field, schema.required?.includes(key) ?? false));
  }

  /** The config as entered; empty optional fields are left out so the node's default applies. */
  value(): Record<string, unknown> {
    return Object.fromEntries(this.readers.map((read) => read()).filter((entry): entry is [string, unknown] => entry !== undefined));
  }

  private row(key: string, field: ConfigField, required: boolean): HTMLElement {
    const id = `config-${key}`;
    let input: HTMLInputElement | HTMLSelectElement;
    if (field.type === 'boolean') {
      input = h('input', { type: 'checkbox', id, checked: field.default ?? false });
      const box = input;
      this.readers.push(() => [key, box.checked]);
    } else if (field.type === 'string' && field.enum) {
      input = h('select', { id }, ...field.enum.map((option) => h('option', { value: option, selected: option === field.default }, option)));
      const select = input;
      this.readers.push(() => [key, select.value]);
    } else {
      const numeric = field.type === 'number' || field.type === 'integer';
      input = h('input', { id, type: numeric ? 'number' : 'text', required });
      if (numeric) {
        const min = field.minimum ?? field.exclusiveMinimum;
        if (min !== undefined) input.min = String(min);
        if (field.maximum !== undefined) input.max = String(field.maximum);
        input.step = field.type === 'integer' ? '1' : 'any';
      }
      if ('default' in field && field.default !== undefined) input.value = String(field.default);
      const text = input;
      this.readers.push(() => {
        if (text.value === '') return undefined;
        return [key, numeric ? Number(text.value) : text.value];
      });
    }
    const range = rangeText(field);
    return h(
      'label',
      { className: `field field-${field.type}`, htmlFor: id, title: field.description },
      h('span', { className: 'field-name' }, key, required ? ' *' : ''),
      input,
      h('span', { className: 'field-help' }, field.description, range ? ` (${range})` : ''),
    );
  }
}

function rangeText(field: ConfigField): string {
  if (field.type !== 'number' && field.type !== 'integer') return '';
  const low = field.minimum ?? (field.exclusiveMinimum !== undefined ? `>${field.exclusiveMinimum}` : undefined);
  if (low === undefined && field.maximum === undefined) return '';
  return `${low ?? '-∞'} … ${field.maximum ?? '∞'}`;
}

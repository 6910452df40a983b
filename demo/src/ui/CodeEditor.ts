import type { NodeTemplate } from '../nodes/templates.ts';
import { byId, h } from './dom.ts';

/** What the editor holds when the user deploys: the argument to `packSources` plus the media kind. */
export interface EditorContent {
  sources: Record<string, string>;
  entry: string;
  exportName: string;
  kind: 'video' | 'audio';
}

const FILE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*(\/[A-Za-z0-9_][A-Za-z0-9_.-]*)*\.(js|ts|mjs)$/;

/**
 * A small multi-file editor: one tab per module, a textarea for the open one, and the entry module and
 * exported class to deploy. Modules import each other with relative paths (`import { x } from './pixels.js'`).
 */
export class CodeEditor {
  private files = new Map<string, string>();
  private open = '';
  private readonly tabs = byId<HTMLDivElement>('editor-tabs');
  private readonly code = byId<HTMLTextAreaElement>('editor-code');
  private readonly entry = byId<HTMLSelectElement>('editor-entry');
  private readonly exportName = byId<HTMLInputElement>('editor-export');
  private readonly kind = byId<HTMLSelectElement>('editor-kind');
  private readonly newName = byId<HTMLInputElement>('editor-new-name');

  constructor(onProblem: (message: string) => void) {
    this.code.addEventListener('input', () => this.files.set(this.open, this.code.value));
    // Tab inserts two spaces instead of leaving the textarea.
    this.code.addEventListener('keydown', (event) => {
      if (event.key !== 'Tab') return;
      event.preventDefault();
      this.code.setRangeText('  ', this.code.selectionStart, this.code.selectionEnd, 'end');
      this.files.set(this.open, this.code.value);
    });
    byId<HTMLButtonElement>('editor-add').addEventListener('click', () => {
      const name = this.newName.value.trim();
      if (!FILE_NAME.test(name)) return onProblem(`"${name}" is not a module file name (e.g. lib/util.js)`);
      if (this.files.has(name)) return onProblem(`${name} already exists`);
      this.files.set(name, '');
      this.newName.value = '';
      this.show(name);
    });
    byId<HTMLButtonElement>('editor-remove').addEventListener('click', () => {
      if (this.files.size <= 1) return onProblem('a node needs at least one module');
      this.files.delete(this.open);
      this.show(this.files.keys().next().value!);
    });
  }

  load(template: NodeTemplate): void {
    this.files = new Map(Object.entries(template.files));
    this.exportName.value = template.exportName;
    this.kind.value = template.kind;
    this.show(template.entry);
    this.entry.value = template.entry;
  }

  content(): EditorContent {
    return {
      sources: Object.fromEntries(this.files),
      entry: this.entry.value,
      exportName: this.exportName.value.trim(),
      kind: this.kind.value === 'audio' ? 'audio' : 'video',
    };
  }

  private show(name: string): void {
    this.open = name;
    this.code.value = this.files.get(name) ?? '';
    const entry = this.entry.value;
    this.tabs.replaceChildren(
      ...[...this.files.keys()].map((file) => {
        const tab = h('button', { type: 'button', className: file === name ? 'tab active' : 'tab', textContent: file, dataset: { file } });
        tab.setAttribute('role', 'tab');
        tab.setAttribute('aria-selected', String(file === name));
        tab.addEventListener('click', () => this.show(file));
        return tab;
      }),
    );
    this.entry.replaceChildren(...[...this.files.keys()].map((file) => h('option', { value: file, textContent: file })));
    this.entry.value = this.files.has(entry) ? entry : name;
  }
}

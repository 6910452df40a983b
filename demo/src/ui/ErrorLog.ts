import { RemoteError, RemoteMediaError } from '@remotemedia/browser-sdk';
import { byId, h } from './dom.ts';

/** One error as the page shows it and as the test probe records it. */
export interface ShownError {
  code: string;
  nodeName: string | undefined;
  message: string;
  remoteStack: string | undefined;
  count: number;
}

/**
 * The errors panel: newest first, a repeat of the same error raises its count instead of adding a line (a
 * node that throws on every frame would otherwise flood it), each with the node's name and the stack from
 * the sandbox.
 */
export class ErrorLog {
  readonly entries: ShownError[] = [];
  private readonly list = byId<HTMLOListElement>('error-list');
  private readonly panel = byId<HTMLElement>('errors');

  constructor() {
    byId<HTMLButtonElement>('errors-clear').addEventListener('click', () => this.clear());
  }

  add(error: unknown): ShownError {
    const shown = describe(error);
    const same = this.entries.find((e) => e.code === shown.code && e.nodeName === shown.nodeName && e.message === shown.message);
    if (same) same.count++;
    else {
      this.entries.unshift(shown);
      if (this.entries.length > 20) this.entries.pop();
    }
    this.render();
    return same ?? shown;
  }

  clear(): void {
    this.entries.length = 0;
    this.render();
  }

  private render(): void {
    this.panel.hidden = this.entries.length === 0;
    this.list.replaceChildren(
      ...this.entries.map((entry) =>
        h(
          'li',
          { className: 'error' },
          h('div', { className: 'error-head' },
            h('span', { className: 'error-code', textContent: entry.code }),
            entry.nodeName ? h('span', { className: 'error-node', textContent: entry.nodeName }) : '',
            h('span', { className: 'error-message', textContent: entry.message }),
            entry.count > 1 ? h('span', { className: 'error-count', textContent: `×${entry.count}` }) : '',
          ),
          entry.remoteStack ? h('pre', { className: 'error-stack', textContent: entry.remoteStack }) : '',
        ),
      ),
    );
  }
}

function describe(error: unknown): ShownError {
  if (error instanceof RemoteError) {
    return { code: error.code, nodeName: error.nodeName, message: `${error.remoteName}: ${error.remoteMessage}`, remoteStack: error.remoteStack, count: 1 };
  }
  if (error instanceof RemoteMediaError) return { code: error.code, nodeName: undefined, message: error.message, remoteStack: undefined, count: 1 };
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return { code: 'PAGE', nodeName: undefined, message, remoteStack: undefined, count: 1 };
}

import { RemoteError, RemoteMediaError } from '@remotemedia/browser-sdk';
import { byId, h } from './dom.ts';

/** One error as the page shows it and as the test probe records it. */
export interface ShownError {
  code: string;
  nodeName: string | undefined;
  /** The newest message: repeats of a node's error differ in details (a frame number) and show the latest. */
  message: string;
  remoteStack: string | undefined;
  count: number;
  /** What the user can do about it, when the page knows. */
  hint?: string;
  /** Set once the user acted on it (e.g. "redeployed"); a new repeat clears it. */
  resolved?: string;
}

/** A button offered next to an error (e.g. redeploying the node that died). */
export interface ErrorAction {
  label: string;
  run(): Promise<void>;
}

/** Lines kept; older ones drop off the end. */
const MAX_ENTRIES = 20;

/**
 * The errors panel, newest first. Errors of a node collapse by code and node into one line with a count
 * (a node that throws on every frame says "frame 57 ..." one time and "frame 58 ..." the next: matching
 * the message would list each). Errors of no node collapse when code and message match. A line may carry
 * a hint and an action button (a node's newest line only); the action runs one at a time and its failure is
 * reported like any error.
 */
export class ErrorLog {
  readonly entries: ShownError[] = [];
  private readonly actions = new Map<ShownError, ErrorAction>();
  private readonly list = byId<HTMLOListElement>('error-list');
  private readonly panel = byId<HTMLElement>('errors');
  private readonly onActionError: (error: unknown) => void;

  constructor(onActionError: (error: unknown) => void) {
    this.onActionError = onActionError;
    byId<HTMLButtonElement>('errors-clear').addEventListener('click', () => this.clear());
  }

  add(error: unknown, extra: { hint?: string; action?: ErrorAction } = {}): ShownError {
    const shown = describe(error);
    const same = this.entries.find(
      (e) => e.code === shown.code && e.nodeName === shown.nodeName && (e.nodeName !== undefined || e.message === shown.message),
    );
    const entry = same ?? shown;
    if (same) {
      same.count++;
      same.message = shown.message;
      same.remoteStack = shown.remoteStack;
      delete same.resolved;
      // Newest first: a repeat moves its line back to the top.
      this.entries.splice(this.entries.indexOf(same), 1);
    }
    this.entries.unshift(entry);
    // A node's action and hint go with its newest line only: one button per dead node, however many codes it sent.
    for (const other of this.entries) {
      if (other === entry || other.nodeName === undefined || other.nodeName !== entry.nodeName) continue;
      if (extra.action !== undefined) this.actions.delete(other);
      if (extra.hint !== undefined && other.hint === extra.hint) delete other.hint;
    }
    if (extra.hint !== undefined) entry.hint = extra.hint;
    if (extra.action !== undefined) this.actions.set(entry, extra.action);
    if (this.entries.length > MAX_ENTRIES) this.actions.delete(this.entries.pop()!);
    this.render();
    return entry;
  }

  /** Marks every line of `nodeName` whose code is in `codes` as dealt with (`note` says how) and drops their actions. */
  resolve(nodeName: string, codes: ReadonlySet<string>, note: string): void {
    for (const entry of this.entries) {
      if (entry.nodeName !== nodeName || !codes.has(entry.code)) continue;
      entry.resolved = note;
      this.actions.delete(entry);
    }
    this.render();
  }

  clear(): void {
    this.entries.length = 0;
    this.actions.clear();
    this.render();
  }

  private render(): void {
    this.panel.hidden = this.entries.length === 0;
    this.list.replaceChildren(...this.entries.map((entry) => this.row(entry)));
  }

  private row(entry: ShownError): HTMLLIElement {
    const action = this.actions.get(entry);
    return h(
      'li',
      { className: entry.resolved ? 'error resolved' : 'error' },
      h(
        'div',
        { className: 'error-head' },
        h('span', { className: 'error-code', textContent: entry.code }),
        entry.nodeName ? h('span', { className: 'error-node', textContent: entry.nodeName }) : '',
        h('span', { className: 'error-message', textContent: entry.message }),
        entry.count > 1 ? h('span', { className: 'error-count', textContent: `×${entry.count}` }) : '',
        entry.resolved ? h('span', { className: 'error-resolved', textContent: entry.resolved }) : '',
        action ? this.button(action) : '',
      ),
      entry.hint && !entry.resolved ? h('p', { className: 'error-hint', textContent: entry.hint }) : '',
      entry.remoteStack ? h('pre', { className: 'error-stack', textContent: entry.remoteStack }) : '',
    );
  }

  private button(action: ErrorAction): HTMLButtonElement {
    const button = h('button', { type: 'button', className: 'error-action', textContent: action.label });
    button.addEventListener('click', () => {
      button.disabled = true;
      action
        .run()
        .catch(this.onActionError)
        .finally(() => {
          button.disabled = false;
        });
    });
    return button;
  }
}

function describe(error: unknown): ShownError {
  if (error instanceof RemoteError) {
    return {
      code: error.code,
      nodeName: error.nodeName,
      message: `${error.remoteName}: ${error.remoteMessage}`,
      remoteStack: error.remoteStack,
      count: 1,
    };
  }
  if (error instanceof RemoteMediaError) return { code: error.code, nodeName: undefined, message: error.message, remoteStack: undefined, count: 1 };
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return { code: 'PAGE', nodeName: undefined, message, remoteStack: undefined, count: 1 };
}

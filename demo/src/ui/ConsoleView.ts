import { byId, h } from './dom.ts';

/** One line of the console panel as the page shows it and the test probe records it. */
export interface ConsoleLine {
  /** The node that logged, or `edge` for a notice from the edge itself. */
  source: string;
  /** The console method the node called (log, info, warn, error, debug), or `notice`. */
  level: string;
  text: string;
  /** Consecutive identical lines are shown once with a count. */
  count: number;
}

/** Lines kept: a node that logs on every frame must not grow the page without bound. */
const MAX_LINES = 200;

/**
 * The console panel: what user nodes print with `console.*` inside the sandbox (the session's `console`
 * event), and notices from the edge that are not errors (a node re-created after a worker was lost).
 * Oldest first, like a console; it follows new lines unless the user scrolled up to read.
 */
export class ConsoleView {
  readonly lines: ConsoleLine[] = [];
  private readonly list = byId<HTMLOListElement>('console-list');
  private readonly empty = byId<HTMLParagraphElement>('console-empty');
  private readonly omitted = byId<HTMLParagraphElement>('console-omitted');
  private dropped = 0;

  constructor() {
    byId<HTMLButtonElement>('console-clear').addEventListener('click', () => this.clear());
  }

  log(source: string, level: string, text: string): ConsoleLine {
    const last = this.lines.at(-1);
    const follow = this.list.scrollTop + this.list.clientHeight >= this.list.scrollHeight - 4;
    if (last !== undefined && last.source === source && last.level === level && last.text === text) {
      last.count++;
      this.list.lastElementChild?.replaceWith(row(last));
    } else {
      const line = { source, level, text, count: 1 };
      this.lines.push(line);
      this.list.append(row(line));
      if (this.lines.length > MAX_LINES) {
        this.lines.shift();
        this.list.firstElementChild?.remove();
        this.dropped++;
      }
    }
    this.showState();
    if (follow) this.list.scrollTop = this.list.scrollHeight;
    return this.lines.at(-1)!;
  }

  /** A notice from the edge: shown in the console's flow, styled apart from node output and from errors. */
  notice(text: string): ConsoleLine {
    return this.log('edge', 'notice', text);
  }

  clear(): void {
    this.lines.length = 0;
    this.dropped = 0;
    this.list.replaceChildren();
    this.showState();
  }

  private showState(): void {
    this.empty.hidden = this.lines.length > 0;
    this.omitted.hidden = this.dropped === 0;
    this.omitted.textContent = `${this.dropped} older line${this.dropped === 1 ? '' : 's'} not shown`;
  }
}

function row(line: ConsoleLine): HTMLLIElement {
  return h(
    'li',
    { className: `console-line level-${line.level}` },
    h('span', { className: 'console-source', textContent: line.source }),
    h('span', { className: 'console-level', textContent: line.level }),
    h('span', { className: 'console-text', textContent: line.text }),
    line.count > 1 ? h('span', { className: 'console-count', textContent: `×${line.count}` }) : '',
  );
}

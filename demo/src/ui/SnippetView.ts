import { appSnippet, type SnippetState } from '../snippet/appSnippet.ts';
import { byId } from './dom.ts';

/**
 * "Use this in your app": the code for the node the page put on a lane last, regenerated whenever a node
 * is applied or deployed, with a button that copies it.
 */
export class SnippetView {
  private readonly panel = byId<HTMLElement>('snippet-panel');
  private readonly title = byId<HTMLElement>('snippet-title');
  private readonly code = byId<HTMLElement>('snippet-code');
  private readonly copy = byId<HTMLButtonElement>('snippet-copy');
  private readonly copied = byId<HTMLSpanElement>('snippet-copied');
  private text = '';

  constructor() {
    this.copy.addEventListener('click', () => {
      this.copyText().catch(() => this.selectText());
    });
  }

  /** The snippet shown now ('' before any node ran). */
  get current(): string {
    return this.text;
  }

  show(state: SnippetState): void {
    this.text = appSnippet(state);
    const name = state.origin.from === 'catalogue' ? state.origin.descriptor.name : state.origin.content.exportName;
    this.title.textContent = `${name} on the ${state.kind === 'video' ? 'camera' : 'microphone'}`;
    this.code.textContent = this.text;
    this.copied.textContent = '';
    this.panel.hidden = false;
  }

  private async copyText(): Promise<void> {
    await navigator.clipboard.writeText(this.text);
    this.copied.textContent = 'Copied';
  }

  /** Without clipboard access (an insecure origin, a denied permission) the code is selected for Ctrl+C. */
  private selectText(): void {
    const range = document.createRange();
    range.selectNodeContents(this.code);
    const selection = getSelection();
    selection?.removeAllRanges();
    selection?.addRange(range);
    this.copied.textContent = 'Selected: press Ctrl+C (or ⌘C) to copy';
  }
}

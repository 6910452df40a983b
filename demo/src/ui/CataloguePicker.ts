import type { NodeDescriptor } from '@remotemedia/browser-sdk';
import { ConfigForm } from './ConfigForm.ts';
import { byId, h } from './dom.ts';

/**
 * The edge's catalogue as a select (grouped by category, media nodes only: the demo has nothing to feed a
 * data node) with a config form generated from the chosen node's schema.
 */
export class CataloguePicker {
  private readonly select = byId<HTMLSelectElement>('catalogue-node');
  private readonly description = byId<HTMLParagraphElement>('catalogue-description');
  private readonly formHost = byId<HTMLDivElement>('catalogue-form');
  private readonly hint = byId<HTMLParagraphElement>('catalogue-hint');
  private nodes = new Map<string, NodeDescriptor>();
  private form: ConfigForm | undefined;

  constructor() {
    this.select.addEventListener('change', () => this.showForm());
  }

  load(descriptors: readonly NodeDescriptor[]): void {
    const media = descriptors.filter((d) => d.remote && (d.inputKinds.includes('video') || d.inputKinds.includes('audio')));
    this.nodes = new Map(media.map((d) => [d.name, d]));
    const groups = ['video', 'audio'].map((category) =>
      h(
        'optgroup',
        { label: category === 'video' ? 'Video' : 'Audio' },
        ...media.filter((d) => d.inputKinds.includes(category as 'video' | 'audio')).map((d) => h('option', { value: d.name, textContent: d.name })),
      ),
    );
    this.select.replaceChildren(...groups);
    this.select.disabled = false;
    // The counts come from the edge's own catalogue (listNodes), so the page never disagrees with the edge.
    const others = descriptors.length - media.length;
    this.hint.textContent =
      `${descriptors.length} nodes in this edge's catalogue. The ${media.length} that take video or audio are listed here: video nodes ` +
      `process the camera, audio nodes the microphone${others > 0 ? `; the other ${others} are for data or run only in your own process` : ''}.`;
    this.showForm();
  }

  /** The chosen node, its config as entered, and which lane it belongs to. */
  selection(): { descriptor: NodeDescriptor; config: Record<string, unknown>; kind: 'video' | 'audio' } | undefined {
    const descriptor = this.nodes.get(this.select.value);
    if (descriptor === undefined || this.form === undefined) return undefined;
    return { descriptor, config: this.form.value(), kind: descriptor.inputKinds.includes('video') ? 'video' : 'audio' };
  }

  private showForm(): void {
    const descriptor = this.nodes.get(this.select.value);
    this.description.textContent = descriptor?.description ?? '';
    this.form = descriptor ? new ConfigForm(descriptor.configSchema) : undefined;
    this.formHost.replaceChildren(...(this.form ? [this.form.element] : []));
  }
}

/** Lowest level shown; the fake microphone's quiet parts and real rooms sit well above it. */
const FLOOR_DB = -60;

/**
 * A horizontal level bar in dBFS: the bar and the number follow RMS with a short release so they are
 * readable, and a tick holds the recent peak.
 */
export class LevelMeterView {
  private readonly bar: HTMLElement;
  private readonly peak: HTMLElement;
  private readonly label: HTMLElement;
  private shown = FLOOR_DB;
  private held = FLOOR_DB;
  private heldAt = 0;
  private updatedAt = 0;

  constructor(root: HTMLElement) {
    this.bar = root.querySelector('.meter-bar')!;
    this.peak = root.querySelector('.meter-peak')!;
    this.label = root.querySelector('.meter-value')!;
  }

  update(rmsDb: number, peakDb: number): void {
    const now = performance.now();
    // Fast attack, 20 dB/s release, whatever the frame length.
    const elapsedS = Math.min(0.5, (now - this.updatedAt) / 1000);
    this.updatedAt = now;
    this.shown = rmsDb >= this.shown ? rmsDb : Math.max(rmsDb, this.shown - 20 * elapsedS);
    if (peakDb >= this.held || now - this.heldAt > 1500) {
      this.held = peakDb;
      this.heldAt = now;
    }
    this.bar.style.width = `${percent(this.shown)}%`;
    this.peak.style.left = `${percent(this.held)}%`;
    // The number follows the bar (not the last frame alone), so the two never disagree.
    this.label.textContent = this.shown <= FLOOR_DB ? `< ${FLOOR_DB} dB` : `${this.shown.toFixed(1)} dB`;
  }

  reset(): void {
    this.shown = FLOOR_DB;
    this.held = FLOOR_DB;
    this.bar.style.width = '0%';
    this.peak.style.left = '0%';
    this.label.textContent = '-';
  }
}

function percent(db: number): number {
  return Math.max(0, Math.min(100, ((db - FLOOR_DB) / -FLOOR_DB) * 100));
}

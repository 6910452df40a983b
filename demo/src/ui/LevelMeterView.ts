/** Lowest level shown; the fake microphone's quiet parts and real rooms sit well above it. */
const FLOOR_DB = -60;

/**
 * A horizontal level bar in dBFS: the bar follows RMS with a short release so it is readable, a tick holds
 * the recent peak, and the number shows the RMS of the last frame.
 */
export class LevelMeterView {
  private readonly bar: HTMLElement;
  private readonly peak: HTMLElement;
  private readonly label: HTMLElement;
  private shown = FLOOR_DB;
  private held = FLOOR_DB;
  private heldAt = 0;

  constructor(root: HTMLElement) {
    this.bar = root.querySelector('.meter-bar')!;
    this.peak = root.querySelector('.meter-peak')!;
    this.label = root.querySelector('.meter-value')!;
  }

  update(rmsDb: number, peakDb: number): void {
    const now = performance.now();
    // Fast attack, ~20 dB/s release.
    this.shown = rmsDb >= this.shown ? rmsDb : Math.max(rmsDb, this.shown - 0.2);
    if (peakDb >= this.held || now - this.heldAt > 1500) {
      this.held = peakDb;
      this.heldAt = now;
    }
    this.bar.style.width = `${percent(this.shown)}%`;
    this.peak.style.left = `${percent(this.held)}%`;
    this.label.textContent = rmsDb <= FLOOR_DB ? `< ${FLOOR_DB} dB` : `${rmsDb.toFixed(1)} dB`;
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

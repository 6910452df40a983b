/**
 * Per session (tenant): how many sandboxes it holds (alive or being created), for the fair share, and whether
 * it is quarantined. A tenant is forgotten once it holds nothing and is not quarantined.
 */
export class TenantLedger {
  private readonly tenants = new Map<string, { held: number; quarantined: boolean }>();

  held(tenant: string): number {
    return this.tenants.get(tenant)?.held ?? 0;
  }

  hold(tenant: string, delta: 1 | -1): void {
    const entry = this.tenants.get(tenant) ?? { held: 0, quarantined: false };
    entry.held += delta;
    if (entry.held <= 0 && !entry.quarantined) this.tenants.delete(tenant);
    else this.tenants.set(tenant, entry);
  }

  isQuarantined(tenant: string): boolean {
    return this.tenants.get(tenant)?.quarantined ?? false;
  }

  /** Quarantines a tenant that holds sandboxes; false when it already was (or holds none, so nothing moves). */
  quarantine(tenant: string): boolean {
    const entry = this.tenants.get(tenant);
    if (entry === undefined || entry.quarantined) return false;
    entry.quarantined = true;
    return true;
  }

  /** The session is gone: lift its quarantine, and forget it once it holds nothing. */
  release(tenant: string): void {
    const entry = this.tenants.get(tenant);
    if (entry === undefined) return;
    entry.quarantined = false;
    if (entry.held === 0) this.tenants.delete(tenant);
  }

  get quarantinedCount(): number {
    let count = 0;
    for (const tenant of this.tenants.values()) if (tenant.quarantined) count++;
    return count;
  }
}

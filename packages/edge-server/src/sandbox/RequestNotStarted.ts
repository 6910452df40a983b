/**
 * A request that never reached the guest: its worker was lost while the request still waited its turn on the
 * host. Nothing ran, so the caller may safely send it again (to the sandbox re-created on another worker).
 */
export class RequestNotStarted extends Error {
  constructor(reason: string) {
    super(`the request did not run: ${reason}`);
    this.name = 'RequestNotStarted';
  }
}

/** An edge of a cluster answered `hello` with `redirect`: the handshake is to be made at `url` instead. */
export class EdgeRedirect extends Error {
  readonly url: string;

  constructor(url: string) {
    super(`the edge sent this client to ${url}`);
    this.name = 'EdgeRedirect';
    this.url = url;
  }
}

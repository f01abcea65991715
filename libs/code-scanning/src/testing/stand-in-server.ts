import { type IncomingHttpHeaders, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request the stand-in received. */
export interface SeenRequest {
  method: string;
  /** Path and query string, as sent. */
  url: string;
  headers: IncomingHttpHeaders;
}

export type StandInHandler = (request: SeenRequest, response: ServerResponse) => void;

/**
 * A local HTTP server on 127.0.0.1 standing in for GitHub or the session service in specs: it
 * records every request and answers with the handler. Each one has its own port, so two are two
 * origins.
 */
export class StandInServer {
  private constructor(
    private readonly server: Server,
    readonly origin: string,
    readonly seen: SeenRequest[],
  ) {}

  static async start(handler: StandInHandler): Promise<StandInServer> {
    const seen: SeenRequest[] = [];
    const server = createServer((req, res) => {
      const request = { method: req.method ?? '', url: req.url ?? '', headers: req.headers };
      seen.push(request);
      req.resume();
      handler(request, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return new StandInServer(server, `http://127.0.0.1:${port}`, seen);
  }

  /** Cuts the connections still open (a stalled answer, keep-alive) and stops listening. */
  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Answers `body` as JSON with `status` and extra headers. */
export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

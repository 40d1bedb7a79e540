import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A fake Open Referral UK API on loopback, for tests: paged /services and /services/{id}, with faults
 * on request: a path can answer malformed JSON, hang past the client's timeout, or answer 500, for
 * its first N requests (or always).
 */
export type Fault = 'malformed' | 'hang' | 'error500';

export interface FakeFeed {
  baseUrl: string;
  /** The services the feed has; change it between crawls. */
  services: Array<Record<string, unknown>>;
  /** Faults by path and query, e.g. "/services?page=2&per_page=3": the next `times` requests fail so. */
  fail(pathAndQuery: string, fault: Fault, times?: number): void;
  /** How many requests each path and query has had. */
  requests: Map<string, number>;
  close(): Promise<void>;
}

export async function startFakeFeed(services: Array<Record<string, unknown>>): Promise<FakeFeed> {
  const faults = new Map<string, { fault: Fault; left: number }>();
  const requests = new Map<string, number>();
  const feed = { services } as FakeFeed;
  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const key = `${url.pathname.replace(/^\/api/, '')}${url.search}`;
    requests.set(key, (requests.get(key) ?? 0) + 1);
    const fault = faults.get(key);
    if (fault && fault.left > 0) {
      fault.left--;
      if (fault.fault === 'hang') return; // Never answers: the client's timeout must fire.
      if (fault.fault === 'error500') {
        response.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"boom"}');
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"contents": [ {"id": "trunc');
      return;
    }
    const send = (status: number, body: unknown) => response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (url.pathname === '/api/services') {
      const page = Number(url.searchParams.get('page') ?? 1);
      const perPage = Number(url.searchParams.get('per_page') ?? 50);
      const all = feed.services;
      const totalPages = Math.ceil(all.length / perPage);
      const contents = all.slice((page - 1) * perPage, page * perPage).map((service) => ({ id: service.id, name: service.name }));
      return send(200, { total_items: all.length, total_pages: totalPages, page_number: page, size: contents.length, first_page: page === 1, last_page: page >= totalPages, empty: contents.length === 0, contents });
    }
    const match = /^\/api\/services\/([^/]+)$/.exec(url.pathname);
    if (match) {
      const service = feed.services.find((candidate) => String(candidate.id) === decodeURIComponent(match[1]!));
      return service ? send(200, service) : send(404, { error: 'not_found' });
    }
    send(404, { error: 'not_found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  feed.baseUrl = `http://127.0.0.1:${port}/api`;
  feed.requests = requests;
  feed.fail = (pathAndQuery, fault, times = 1) => faults.set(pathAndQuery, { fault, left: times });
  feed.close = async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return feed;
}

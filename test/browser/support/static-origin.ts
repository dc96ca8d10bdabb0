import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';

const PAGE_DIR = join(__dirname, '..', 'page');
const TYPES: Record<string, string> = { html: 'text/html; charset=utf-8', mjs: 'text/javascript; charset=utf-8' };

export interface StaticOrigin {
  port: number;
  /** The page's URL on `host` (`localhost` or `127.0.0.1`: two origins, and two sites, for one server). */
  url(host: string, file: string, query?: Record<string, string>): string;
  close(): Promise<void>;
}

/**
 * Serves the test pages (test/browser/page) on a free port of 127.0.0.1: the
 * admin panel's origin, or a foreign one, depending on the port and host name
 * the browser is sent to.
 */
export async function serveTestPages(): Promise<StaticOrigin> {
  const files = new Map<string, { type: string; body: Buffer }>();
  for (const name of ['panel.html', 'panel.mjs', 'foreign.html', 'foreign.mjs']) {
    files.set(`/${name}`, { type: TYPES[name.split('.').pop() ?? ''] ?? '', body: readFileSync(join(PAGE_DIR, name)) });
  }
  const server: Server = createServer((request, response) => {
    const file = files.get(new URL(request.url ?? '/', 'http://page').pathname);
    if (!file) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-store' }).end(file.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('the page server has no port');
  return {
    port: address.port,
    url: (host, file, query = {}) => {
      const search = new URLSearchParams(query).toString();
      return `http://${host}:${address.port}/${file}${search ? `?${search}` : ''}`;
    },
    close: () =>
      new Promise((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

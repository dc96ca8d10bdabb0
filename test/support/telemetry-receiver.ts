import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The body as sent (gunzipped if it was compressed). */
  body: string;
}

/** One item of a Sentry envelope: its item header (`type`: event, session, …) and its JSON payload. */
export interface EnvelopeItem {
  type: string;
  payload: Record<string, unknown>;
  /** The whole envelope's text, for checking what it does not contain. */
  envelope: string;
}

export interface ReceivedSpan {
  service: string;
  scope: string;
  name: string;
  /** OTLP span kind: 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number;
  traceId: string;
  spanId: string;
  parentSpanId: string | undefined;
  attributes: Record<string, string | number | boolean>;
}

interface OtlpAttribute {
  key: string;
  value: { stringValue?: string; intValue?: string | number; doubleValue?: number; boolValue?: boolean };
}

interface OtlpTraces {
  resourceSpans: {
    resource: { attributes: OtlpAttribute[] };
    scopeSpans: {
      scope: { name: string };
      spans: {
        name: string;
        kind: number;
        traceId: string;
        spanId: string;
        parentSpanId?: string;
        attributes?: OtlpAttribute[];
      }[];
    }[];
  }[];
}

function flatten(attributes: OtlpAttribute[] = []): Record<string, string | number | boolean> {
  const flat: Record<string, string | number | boolean> = {};
  for (const { key, value } of attributes) {
    const raw = value.stringValue ?? value.boolValue ?? value.doubleValue ?? value.intValue;
    if (raw !== undefined) flat[key] = typeof raw === 'string' && value.intValue !== undefined ? Number(raw) : raw;
  }
  return flat;
}

/**
 * A stand-in for Sentry and for an OpenTelemetry collector: a plain HTTP server
 * on 127.0.0.1 that answers 200 to everything and keeps what it was sent.
 * Point SENTRY_DSN at `http://publickey@127.0.0.1:<port>/1` and
 * OTEL_EXPORTER_OTLP_ENDPOINT at `http://127.0.0.1:<port>`.
 */
export class TelemetryReceiver {
  readonly requests: ReceivedRequest[] = [];
  private server: Server | undefined;
  port = 0;

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const raw = Buffer.concat(chunks);
        const body = request.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
        this.requests.push({
          method: request.method ?? '',
          path: request.url ?? '',
          headers: request.headers,
          body: body.toString('utf8'),
        });
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** A DSN for project 1 of this receiver. */
  get sentryDsn(): string {
    return `http://publickey@127.0.0.1:${this.port}/1`;
  }

  /** The envelopes sent to the Sentry store (`/api/<project>/envelope/`). */
  envelopes(): ReceivedRequest[] {
    return this.requests.filter((request) => /^\/api\/\d+\/envelope\/?/.test(request.path));
  }

  /** Every item of every envelope: header line, then an item header and a payload line per item. */
  envelopeItems(): EnvelopeItem[] {
    return this.envelopes().flatMap(({ body }) => {
      const lines = body.split('\n').filter((line) => line.length > 0);
      const items: EnvelopeItem[] = [];
      for (let i = 1; i + 1 < lines.length; i += 2) {
        const header = JSON.parse(lines[i]) as { type: string };
        items.push({ type: header.type, payload: JSON.parse(lines[i + 1]) as Record<string, unknown>, envelope: body });
      }
      return items;
    });
  }

  /** Every span of every OTLP/HTTP JSON export (`/v1/traces`). */
  spans(): ReceivedSpan[] {
    return this.requests
      .filter((request) => request.path === '/v1/traces')
      .flatMap(({ body }) =>
        (JSON.parse(body) as OtlpTraces).resourceSpans.flatMap(({ resource, scopeSpans }) => {
          const service = String(flatten(resource.attributes)['service.name']);
          return scopeSpans.flatMap(({ scope, spans }) =>
            spans.map((span) => ({
              service,
              scope: scope.name,
              name: span.name,
              kind: span.kind,
              traceId: span.traceId,
              spanId: span.spanId,
              parentSpanId: span.parentSpanId || undefined,
              attributes: flatten(span.attributes),
            })),
          );
        }),
      );
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

import { lookup } from 'node:dns/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { Injectable } from '@nestjs/common';

/** What the receiver's log keeps of an answer body. */
export const RESPONSE_BODY_LIMIT = 1024;

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a host name to every address it has (an IP literal resolves to itself). Tests replace it. */
export abstract class HostResolver {
  abstract resolve(hostname: string): Promise<ResolvedAddress[]>;
}

/** The system resolver (getaddrinfo: /etc/hosts, then DNS), every address, in its order. */
@Injectable()
export class SystemHostResolver extends HostResolver {
  async resolve(hostname: string): Promise<ResolvedAddress[]> {
    const literal = hostname.replace(/^\[(.*)\]$/, '$1');
    const family = isIP(literal);
    if (family !== 0) return [{ address: literal, family: family as 4 | 6 }];
    const found = await lookup(hostname, { all: true, order: 'verbatim' });
    return found.map((entry) => ({ address: entry.address, family: entry.family as 4 | 6 }));
  }
}

export interface OutgoingWebhook {
  url: URL;
  /** The address already checked by the address policy: the connection goes there and nowhere else. */
  address: ResolvedAddress;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
}

export interface ReceiverAnswer {
  statusCode: number;
  /** The start of the answer body, at most {@link RESPONSE_BODY_LIMIT} bytes as text. */
  body: string;
}

/** Sends one webhook request. Tests replace it to prove a refused address is never connected to. */
export abstract class WebhookTransport {
  abstract post(webhook: OutgoingWebhook): Promise<ReceiverAnswer>;
}

/**
 * POST over node:http/https to the address the policy checked: the request's
 * `lookup` hook answers with that address instead of resolving the host again,
 * so a DNS answer that changes between the check and the connection (DNS
 * rebinding) cannot redirect it. TLS still verifies the certificate against
 * the URL's host name (SNI and the Host header keep it). Redirects are not
 * followed (node's client never follows them; a 3xx is a failed attempt).
 * One timeout covers connecting, sending and reading the answer.
 */
@Injectable()
export class HttpWebhookTransport extends WebhookTransport {
  post(webhook: OutgoingWebhook): Promise<ReceiverAnswer> {
    const { url, address } = webhook;
    const pinned: LookupFunction = (_hostname, options, callback) => {
      if (options.all) callback(null, [{ address: address.address, family: address.family }]);
      else callback(null, address.address, address.family);
    };
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<ReceiverAnswer>((resolve, reject) => {
      const request = send(
        url,
        {
          method: 'POST',
          headers: {
            ...webhook.headers,
            'content-length': String(Buffer.byteLength(webhook.body)),
            'user-agent': 'coffee-admin-webhooks/1',
          },
          lookup: pinned,
          signal: AbortSignal.timeout(webhook.timeoutMs),
          // No connection reuse: every attempt connects to the address checked for it.
          agent: false,
        },
        (response) => void readLimited(response).then(resolve, reject),
      );
      request.on('error', reject);
      request.end(webhook.body);
    });
  }
}

function readLimited(response: IncomingMessage): Promise<ReceiverAnswer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (): void => {
      if (settled) return;
      settled = true;
      resolve({
        statusCode: response.statusCode ?? 0,
        body: Buffer.concat(chunks).subarray(0, RESPONSE_BODY_LIMIT).toString('utf8'),
      });
    };
    const fail = (error: Error): void => {
      if (settled) return;
      settled = true;
      reject(error);
    };
    response.on('data', (chunk: Buffer) => {
      if (size >= RESPONSE_BODY_LIMIT) return;
      chunks.push(chunk);
      size += chunk.length;
      // Enough for the log: stop reading a large answer.
      if (size >= RESPONSE_BODY_LIMIT) {
        response.destroy();
        finish();
      }
    });
    response.on('end', finish);
    response.on('error', (error) => (size >= RESPONSE_BODY_LIMIT ? finish() : fail(error)));
    // Closed without an end (the timeout aborted it, the receiver hung up): not an answer.
    response.on('close', () => (response.complete ? finish() : fail(new Error('the answer was cut off'))));
  });
}

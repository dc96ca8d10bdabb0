import { Inject, Injectable } from '@nestjs/common';
import { webhooksConfig, type WebhooksConfig } from '@coffee/config';
import { addressRefusal } from './address-policy';
import { HostResolver, type ResolvedAddress } from './webhook-transport';

/** A URL the server will not send to, and why (shown to the owner, logged in the delivery log). */
export class RefusedWebhookTarget extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'RefusedWebhookTarget';
  }
}

/**
 * The SSRF guard, run when an endpoint is saved and again before every
 * attempt: the URL must be http(s) without credentials, its host must resolve,
 * and every address it resolves to must be public (see addressRefusal) unless
 * WEBHOOK_ALLOW_PRIVATE=true. It answers the address to connect to, so the
 * transport connects to what was checked, not to a second DNS answer.
 */
@Injectable()
export class WebhookTargetGuard {
  constructor(
    @Inject(webhooksConfig.KEY) private readonly config: WebhooksConfig,
    private readonly resolver: HostResolver,
  ) {}

  async check(rawUrl: string): Promise<{ url: URL; address: ResolvedAddress }> {
    let url: URL;
    try {
      url = new URL(rawUrl);
    } catch {
      throw new RefusedWebhookTarget('url is not a valid URL');
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new RefusedWebhookTarget('url must be http(s)');
    if (url.username || url.password) throw new RefusedWebhookTarget('url must not carry credentials');
    let addresses: ResolvedAddress[];
    let timer: NodeJS.Timeout | undefined;
    try {
      // getaddrinfo has no timeout of its own: a stuck resolver must not hold a request or a job.
      const deadline = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error('timeout')), this.config.timeoutMs);
      });
      addresses = await Promise.race([this.resolver.resolve(url.hostname), deadline]);
    } catch {
      throw new RefusedWebhookTarget(`the host ${url.hostname} does not resolve`);
    } finally {
      clearTimeout(timer);
    }
    if (addresses.length === 0) throw new RefusedWebhookTarget(`the host ${url.hostname} does not resolve`);
    if (!this.config.allowPrivateAddresses) {
      // Every address, not just the first: the client could be steered to any of them.
      for (const { address } of addresses) {
        const refusal = addressRefusal(address);
        if (refusal) throw new RefusedWebhookTarget(`${url.hostname} resolves to a refused address (${refusal})`);
      }
    }
    return { url, address: addresses[0] };
  }
}

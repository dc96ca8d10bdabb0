import { newSigningSecret, signatureOf, webhookHeaders } from './signing';

describe('webhook signing (Standard Webhooks v1)', () => {
  // The example of the Standard Webhooks specification's reference libraries.
  const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
  const id = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
  const timestamp = 1614265330;
  const body = '{"test": 2432232314}';

  it('matches the specification example', () => {
    expect(signatureOf(secret, id, timestamp, body)).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('changes with any part of the signed content', () => {
    const base = signatureOf(secret, id, timestamp, body);
    expect(signatureOf(secret, 'msg_other', timestamp, body)).not.toBe(base);
    expect(signatureOf(secret, id, timestamp + 1, body)).not.toBe(base);
    expect(signatureOf(secret, id, timestamp, `${body} `)).not.toBe(base);
    expect(signatureOf(newSigningSecret(), id, timestamp, body)).not.toBe(base);
  });

  it('issues secrets of 32 random bytes in the whsec_ format', () => {
    const issued = newSigningSecret();
    expect(issued).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(issued.slice(6), 'base64')).toHaveLength(32);
    expect(newSigningSecret()).not.toBe(issued);
  });

  it('sends id, timestamp and signature headers', () => {
    expect(webhookHeaders(secret, id, timestamp, body)).toEqual({
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': '1614265330',
      'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    });
  });
});

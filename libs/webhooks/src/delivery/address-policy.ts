import { isIP } from 'node:net';
import * as ipaddr from 'ipaddr.js';

/**
 * Whether a webhook may be sent to this address. Only public unicast is
 * allowed: ipaddr.js classifies the address (`range()`), and anything it does
 * not call `unicast` is refused — private (10/8, 172.16/12, 192.168/16),
 * loopback, link-local (which holds the cloud metadata address
 * 169.254.169.254), carrier-grade NAT (100.64/10, Alibaba's metadata),
 * unique-local IPv6 (fc00::/7, AWS's fd00:ec2::254), multicast, unspecified,
 * reserved, and the translation ranges (6to4, Teredo, NAT64) that can embed a
 * private IPv4. An IPv4-mapped IPv6 address (`::ffff:10.0.0.1`) is judged as
 * the IPv4 address it maps.
 */
export function addressRefusal(address: string): string | null {
  if (isIP(address) === 0) return `${address} is not an IP address`;
  const parsed = ipaddr.process(address);
  const range = parsed.range();
  return range === 'unicast' ? null : `${address} is a ${range} address`;
}

import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** class-transformer: a string of digits becomes a number; anything else stays for the validator to refuse. */
export const toInt = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value.trim()) : value;

export const toNumber = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^\d*\.?\d+$/.test(value.trim()) ? Number(value.trim()) : value;

const HOST_ENTRY = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9.-]+))(?::(\d{1,5}))?$/;

export interface HostAndPort {
  host: string;
  port: number;
}

/** The `host[:port]` entries of a comma list (`[v6-address]:port` for IPv6); throws naming a bad entry. */
export function parseHostList(value: string, defaultPort: number): HostAndPort[] {
  return value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0)
    .map((entry) => {
      const match = HOST_ENTRY.exec(entry);
      const port = match?.[3] === undefined ? defaultPort : Number(match[3]);
      if (!match || port < 1 || port > 65535) throw new Error(`"${entry}" is not host[:port]`);
      return { host: match[1] ?? match[2] ?? '', port };
    });
}

/**
 * Why a `host[:port]` list variable is unusable (`name` names it in the
 * message), or null when it lists at least one valid entry.
 */
export function hostListProblem(name: string, value: string, defaultPort: number): string | null {
  try {
    return parseHostList(value, defaultPort).length > 0 ? null : `${name} lists no host`;
  } catch (error) {
    return `${name} must be a comma list of host[:port]: ${(error as Error).message}`;
  }
}

/** package.json's version, for APP_VERSION's default. */
export function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(join(process.cwd(), 'package.json'), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { hostListProblem, parseHostList, type HostAndPort } from './parsing';

const SENTINEL_PORT = 26379;
const REDIS_PORT = 6379;

/**
 * Redis (full mode): one node (REDIS_URL), a Sentinel-managed master
 * (REDIS_SENTINELS + REDIS_SENTINEL_NAME) or a cluster (REDIS_CLUSTER_NODES).
 * With Sentinel or a cluster, REDIS_URL is optional and only gives the data
 * nodes' credentials, database and TLS; its host is not used.
 */
export class RedisVariables {
  @Matches(/^rediss?:\/\/.+/, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  @IsOptional()
  REDIS_URL?: string;

  @IsString()
  @MaxLength(64)
  REDIS_KEY_PREFIX = 'coffee';

  /** The sentinels: a comma list of `host[:port]` (26379 when omitted). */
  @IsString()
  @IsOptional()
  REDIS_SENTINELS?: string;

  /** The master group name the sentinels monitor (`sentinel monitor <name> …`). */
  @Matches(/^\S+$/, { message: 'REDIS_SENTINEL_NAME must be a master group name without spaces' })
  @MaxLength(128)
  @IsOptional()
  REDIS_SENTINEL_NAME?: string;

  /** The sentinels' own password (`requirepass` in sentinel.conf), when they have one. */
  @IsString()
  @IsOptional()
  REDIS_SENTINEL_PASSWORD?: string;

  /** Cluster mode: a comma list of `host[:port]` seed nodes (6379 when omitted); the rest is discovered. */
  @IsString()
  @IsOptional()
  REDIS_CLUSTER_NODES?: string;
}

/** The database number REDIS_URL selects (its path), or null when the path is not one. */
function databaseOf(url: URL): number | null {
  const path = url.pathname.replace(/^\//, '');
  if (path === '') return 0;
  return /^\d{1,5}$/.test(path) ? Number(path) : null;
}

/** What the decorators cannot say; called once the variables are individually valid. */
export function redisProblems(env: RedisVariables): string[] {
  const problems: string[] = [];
  const sentinel = env.REDIS_SENTINELS !== undefined;
  const cluster = env.REDIS_CLUSTER_NODES !== undefined;
  if (sentinel && cluster)
    problems.push('REDIS_SENTINELS and REDIS_CLUSTER_NODES exclude each other: set the one your Redis deployment is');
  if (sentinel) {
    const list = hostListProblem('REDIS_SENTINELS', env.REDIS_SENTINELS ?? '', SENTINEL_PORT);
    if (list) problems.push(list);
    if (!env.REDIS_SENTINEL_NAME)
      problems.push('REDIS_SENTINELS needs REDIS_SENTINEL_NAME, the master group name the sentinels monitor');
  } else {
    for (const name of ['REDIS_SENTINEL_NAME', 'REDIS_SENTINEL_PASSWORD'] as const)
      if (env[name] !== undefined) problems.push(`${name} is set but REDIS_SENTINELS is not`);
  }
  if (cluster) {
    const list = hostListProblem('REDIS_CLUSTER_NODES', env.REDIS_CLUSTER_NODES ?? '', REDIS_PORT);
    if (list) problems.push(list);
    // BullMQ's keys carry the prefix inside a hash tag (`{prefix:bull}`); a brace in it would break the tag.
    if (/[{}]/.test(env.REDIS_KEY_PREFIX)) problems.push('REDIS_KEY_PREFIX must not contain { or } in cluster mode');
  }
  if ((sentinel || cluster) && env.REDIS_URL) {
    const database = databaseOf(new URL(env.REDIS_URL));
    if (database === null) problems.push('REDIS_URL must end in a database number (/0, /1, …) or nothing');
    else if (cluster && database !== 0)
      problems.push(`REDIS_URL selects database ${database}, but a Redis cluster has database 0 only`);
  }
  return problems;
}

/** How to reach each data node, from REDIS_URL (all optional with Sentinel or a cluster). */
export interface RedisNodeAuth {
  username: string | null;
  password: string | null;
  db: number;
  tls: boolean;
}

export type RedisTopology =
  | { mode: 'single'; url: string }
  | {
      mode: 'sentinel';
      sentinels: HostAndPort[];
      /** The master group name. */
      name: string;
      sentinelPassword: string | null;
      node: RedisNodeAuth;
    }
  | { mode: 'cluster'; nodes: HostAndPort[]; node: RedisNodeAuth };

function nodeAuthFrom(url: string | undefined): RedisNodeAuth {
  if (!url) return { username: null, password: null, db: 0, tls: false };
  const parsed = new URL(url);
  return {
    username: parsed.username ? decodeURIComponent(parsed.username) : null,
    password: parsed.password ? decodeURIComponent(parsed.password) : null,
    db: databaseOf(parsed) ?? 0,
    tls: parsed.protocol === 'rediss:',
  };
}

function topologyFrom(env: RedisVariables): RedisTopology | null {
  if (env.REDIS_SENTINELS && env.REDIS_SENTINEL_NAME) {
    return {
      mode: 'sentinel',
      sentinels: parseHostList(env.REDIS_SENTINELS, SENTINEL_PORT),
      name: env.REDIS_SENTINEL_NAME,
      sentinelPassword: env.REDIS_SENTINEL_PASSWORD ?? null,
      node: nodeAuthFrom(env.REDIS_URL),
    };
  }
  if (env.REDIS_CLUSTER_NODES) {
    return {
      mode: 'cluster',
      nodes: parseHostList(env.REDIS_CLUSTER_NODES, REDIS_PORT),
      node: nodeAuthFrom(env.REDIS_URL),
    };
  }
  return env.REDIS_URL ? { mode: 'single', url: env.REDIS_URL } : null;
}

export function redisConfigFrom(env: RedisVariables) {
  const topology = topologyFrom(env);
  return {
    /** Full mode's Redis is configured (REDIS_URL, REDIS_SENTINELS or REDIS_CLUSTER_NODES); false: embedded mode. */
    enabled: topology !== null,
    /** REDIS_URL as given (with Sentinel or a cluster it only carries credentials). */
    url: env.REDIS_URL ?? null,
    topology,
    keyPrefix: env.REDIS_KEY_PREFIX,
    /**
     * BullMQ's key prefix. A cluster needs every key of a queue in one hash
     * slot, so there the prefix is a hash tag (`{coffee:bull}`: all queues in
     * one slot); one node and Sentinel keep `coffee:bull`, the keys they always had.
     */
    queuePrefix: topology?.mode === 'cluster' ? `{${env.REDIS_KEY_PREFIX}:bull}` : `${env.REDIS_KEY_PREFIX}:bull`,
  };
}

import { Cluster, Redis } from 'ioredis';
import { parseHostList, type HostAndPort } from '@coffee/config';

/** Direct connections to the data nodes of a Sentinel group or cluster, for what the API wrote there. */
export class RedisNodes {
  private readonly open: Redis[] = [];

  /** A connection to `node` (closed by `close()`). */
  connect(node: HostAndPort): Redis {
    const client = new Redis({ host: node.host, port: node.port, maxRetriesPerRequest: 1, lazyConnect: false });
    client.on('error', () => undefined);
    this.open.push(client);
    return client;
  }

  /** The master the sentinels of REDIS_SENTINELS name now (the first that answers). */
  async sentinelMaster(): Promise<HostAndPort> {
    let last: unknown;
    for (const sentinel of parseHostList(process.env.REDIS_SENTINELS ?? '', 26379)) {
      try {
        const [host = '', port = ''] = (await this.connect(sentinel).call(
          'SENTINEL',
          'GET-MASTER-ADDR-BY-NAME',
          process.env.REDIS_SENTINEL_NAME ?? '',
        )) as string[];
        return { host, port: Number(port) };
      } catch (error) {
        last = error;
      }
    }
    throw new Error(`no sentinel answered: ${String(last)}`);
  }

  /** Has every sentinel fail the master over to its replica (`SENTINEL FAILOVER <name>` on the first). */
  async forceFailover(): Promise<void> {
    const [sentinel] = parseHostList(process.env.REDIS_SENTINELS ?? '', 26379);
    if (!sentinel) throw new Error('REDIS_SENTINELS lists no sentinel');
    await this.connect(sentinel).call('SENTINEL', 'FAILOVER', process.env.REDIS_SENTINEL_NAME ?? '');
  }

  /** The masters of the cluster REDIS_CLUSTER_NODES seeds. */
  async clusterMasters(): Promise<HostAndPort[]> {
    const cluster = new Cluster(parseHostList(process.env.REDIS_CLUSTER_NODES ?? '', 6379));
    cluster.on('error', () => undefined);
    try {
      const raw = (await cluster.call('CLUSTER', 'NODES')) as string;
      return raw
        .split('\n')
        .filter((line) => line.includes('master') && !line.includes('fail'))
        .map((line) => {
          const [host = '', port = ''] = (line.split(' ')[1] ?? '').split('@')[0]?.split(':') ?? [];
          return { host, port: Number(port) };
        });
    } finally {
      cluster.disconnect();
    }
  }

  /** Every key matching `pattern` on the given nodes, with the node holding it. */
  async keys(nodes: HostAndPort[], pattern: string): Promise<{ node: HostAndPort; key: string }[]> {
    const found: { node: HostAndPort; key: string }[] = [];
    for (const node of nodes) {
      const client = this.connect(node);
      let cursor = '0';
      do {
        const [next, keys] = await client.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
        cursor = next;
        for (const key of keys) found.push({ node, key });
      } while (cursor !== '0');
    }
    return found;
  }

  close(): void {
    for (const client of this.open.splice(0)) client.disconnect();
  }
}

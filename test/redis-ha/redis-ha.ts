import type { HostAndPort } from '@coffee/config';
import { createShop, expectStatus, sysadminSession, unique, type ClusterShop } from '../cluster/cluster';
import { eventually, spawnApp, waitFor, type RunningProcess } from '../support/processes';
import type { RedisNodes } from '../support/redis-nodes';

const today = (): string => new Date().toISOString().slice(0, 10);
const daysAgo = (days: number): string => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);

/**
 * One API and one worker from dist on the outer MariaDB and whatever Redis
 * topology the environment selects, under a key prefix of their own, and a
 * restaurant made through the API. The throttler's window is an hour, so its
 * counters only grow during a test.
 */
export class HaDeployment {
  readonly prefix = unique('ha');
  readonly started: RunningProcess[] = [];
  api!: RunningProcess;
  worker!: RunningProcess;
  shop!: ClusterShop;
  private round = 0;

  constructor(
    private readonly nodes: RedisNodes,
    /** BullMQ's prefix for this deployment's REDIS_KEY_PREFIX (a hash tag in cluster mode). */
    private readonly queuePrefix: (prefix: string) => string,
  ) {}

  async start(): Promise<void> {
    const env = { REDIS_KEY_PREFIX: this.prefix, THROTTLE_TTL_SECONDS: '3600' };
    for (const app of ['api', 'worker'] as const) {
      const proc = await spawnApp(app, env, { waitForLive: false });
      this.started.push(proc);
      // Nest boots on a loaded 2-core machine: allow 60 s.
      await waitFor(proc, '/health/ready', 200, 600);
      if (app === 'api') this.api = proc;
      else this.worker = proc;
    }
    this.shop = await createShop(await sysadminSession(this.api), this.api);
  }

  /** What the throttler has counted for this deployment, on `masters`. */
  async throttleHits(masters: HostAndPort[]): Promise<number> {
    let total = 0;
    for (const { node, key } of await this.nodes.keys(masters, `${this.prefix}:rl:*`))
      total += Number((await this.nodes.connect(node).get(key)) ?? 0);
    return total;
  }

  /**
   * One request of each kind that needs Redis, each checked against `masters`
   * (where its keys must land): an authenticated request counted by the
   * throttler, a dashboard the API caches (a new range each round, so a new
   * cache entry), and a report job enqueued by the API and completed by the
   * worker. Throws on the first thing that did not work.
   */
  async everyRedisUse(masters: HostAndPort[]): Promise<void> {
    this.round += 1;
    const { owner, restaurantId } = this.shop;
    const from = daysAgo(this.round);
    const hitsBefore = await this.throttleHits(masters);
    expectStatus(await owner.get(this.api, `/api/v1/reports/dashboard?from=${from}&to=${today()}`), 200);

    const hitsAfter = await this.throttleHits(masters);
    if (hitsAfter <= hitsBefore)
      throw new Error(`throttler did not count on the master (${hitsBefore} → ${hitsAfter})`);
    const cached = await this.nodes.keys(masters, `${this.prefix}:cache*reports:dashboard:${restaurantId}:*:${from}:*`);
    if (cached.length !== 1) throw new Error(`dashboard from ${from} cached ${cached.length} times on the masters`);

    const { jobId } = expectStatus(await owner.post(this.api, '/api/v1/reports/daily', { date: today() }), 202)
      .body as { jobId: string };
    await eventually(async () => {
      const job = expectStatus(await owner.get(this.api, `/api/v1/reports/jobs/${jobId}`), 200).body as {
        state: string;
      };
      if (job.state === 'failed') throw new Error(`job failed: ${JSON.stringify(job)}`);
      return job.state === 'completed' ? true : undefined;
    }, 300);
    const jobKeys = await this.nodes.keys(masters, `${this.queuePrefix(this.prefix)}:*:${jobId}`);
    if (jobKeys.length !== 1) throw new Error(`job ${jobId} has ${jobKeys.length} hashes on the masters`);
  }

  /** This deployment's keys on the single node REDIS_URL names (which only gives credentials here: none expected). */
  async keysOnRedisUrlNode(): Promise<string[]> {
    const url = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    const found = await this.nodes.keys([{ host: url.hostname, port: Number(url.port || 6379) }], `*${this.prefix}*`);
    return found.map(({ key }) => key);
  }

  /** Both processes still the ones started (no restart). */
  expectRunning(): void {
    for (const proc of this.started) {
      if (proc.child.exitCode !== null || proc.child.signalCode !== null)
        throw new Error(`a process exited:\n${proc.output()}`);
    }
  }
}

import { terminate } from '../cluster/cluster';
import { describeWhen, SENTINEL_MODE } from '../support/env';
import { eventually } from '../support/processes';
import { RedisNodes } from '../support/redis-nodes';
import { HaDeployment } from './redis-ha';

// Two Nest processes booting on a loaded 2-core machine, and a failover.
jest.setTimeout(120_000);

const describeSentinel = describeWhen(
  SENTINEL_MODE,
  'Redis Sentinel suite: needs REDIS_SENTINELS and REDIS_SENTINEL_NAME (SERVICES_REDIS_SENTINEL=1 bash scripts/services.sh up)',
);

describeSentinel('Redis Sentinel (REDIS_SENTINELS): API and worker on the master the sentinels name', () => {
  const nodes = new RedisNodes();
  const deployment = new HaDeployment(nodes, (prefix) => `${prefix}:bull`);

  beforeAll(async () => {
    await deployment.start();
  });

  afterAll(async () => {
    await Promise.all(deployment.started.map((proc) => terminate(proc)));
    nodes.close();
  });

  it('serves, caches, throttles and runs jobs on the master, none of it on the REDIS_URL node', async () => {
    const master = await nodes.sentinelMaster();
    await deployment.everyRedisUse([master]);
    // REDIS_URL still names the single node services.sh runs: with sentinels it only carries credentials.
    expect(await deployment.keysOnRedisUrlNode()).toEqual([]);
  });

  it('follows a forced failover to the new master without a restart', async () => {
    const before = await nodes.sentinelMaster();
    await nodes.forceFailover();
    const after = await eventually(async () => {
      const master = await nodes.sentinelMaster();
      return master.port !== before.port || master.host !== before.host ? master : undefined;
    }, 300);
    // The old master turns into a replica of the new one: writes there would fail (READONLY).
    await eventually(async () => {
      const role = (await nodes.connect(before).call('ROLE')) as [string];
      return role[0] === 'slave' ? true : undefined;
    }, 300);

    // Every use works again, with its writes on the new master, once the clients have moved.
    await eventually(async () => {
      await deployment.everyRedisUse([after]);
      return true;
    }, 300);
    deployment.expectRunning();
  });
});

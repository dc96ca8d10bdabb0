import { terminate } from '../cluster/cluster';
import { CLUSTER_MODE, describeWhen } from '../support/env';
import { RedisNodes } from '../support/redis-nodes';
import { HaDeployment } from './redis-ha';

// Two Nest processes booting on a loaded 2-core machine.
jest.setTimeout(120_000);

const describeCluster = describeWhen(
  CLUSTER_MODE,
  'Redis cluster suite: needs REDIS_CLUSTER_NODES (SERVICES_REDIS_CLUSTER=1 bash scripts/services.sh up)',
);

describeCluster('Redis cluster (REDIS_CLUSTER_NODES): API and worker on a sharded Redis', () => {
  const nodes = new RedisNodes();
  // The hash tag keeps every queue key in one slot, as BullMQ's Lua scripts need.
  const deployment = new HaDeployment(nodes, (prefix) => `{${prefix}:bull}`);

  beforeAll(async () => {
    await deployment.start();
  });

  afterAll(async () => {
    await Promise.all(deployment.started.map((proc) => terminate(proc)));
    nodes.close();
  });

  it('serves, caches, throttles and runs jobs, with every queue key in one slot', async () => {
    const masters = await nodes.clusterMasters();
    expect(masters.length).toBeGreaterThanOrEqual(3);
    for (let i = 0; i < 3; i++) await deployment.everyRedisUse(masters);
    deployment.expectRunning();
    expect(await deployment.keysOnRedisUrlNode()).toEqual([]);

    // Every BullMQ key of every queue is in one slot, on one master (the application's other keys spread).
    const queueKeys = await nodes.keys(masters, `{${deployment.prefix}:bull}:*`);
    expect(queueKeys.length).toBeGreaterThan(0);
    const slots = new Set<number>();
    for (const { node, key } of queueKeys)
      slots.add((await nodes.connect(node).call('CLUSTER', 'KEYSLOT', key)) as number);
    expect(slots.size).toBe(1);
    expect(new Set(queueKeys.map(({ node }) => node.port)).size).toBe(1);
  });
});

import { categoryNames, call, createShop, describeEmbedded, embedded, newFile, seeded } from '../support/embedded';
import { eventually, spawnApp, waitFor, type RunningProcess } from '../support/processes';

/**
 * The embedded default as a café owner runs it (`npm start`, one SQLite file),
 * crashed the way machines crash: SIGKILL in the middle of writes (the OOM
 * killer, `docker kill`, a power cut).
 */
// Spawns real processes (Nest boot, argon2): slow on a loaded 2-core machine.
jest.setTimeout(120_000);

describeEmbedded('embedded database: crashes (the built API on one SQLite file)', () => {
  it('loses no acknowledged write and never starts empty across 10 SIGKILLs during concurrent writes', async () => {
    const seed = Number(process.env.CRASH_SEED ?? 20261202);
    const random = seeded(seed);
    const file = newFile();
    let proc: RunningProcess = await spawnApp('api', embedded(file));
    const token = await createShop(proc.url, `crash-${seed}`);
    const acknowledged: string[] = [];
    const unexpected: string[] = [];
    try {
      for (let round = 0; round < 10; round++) {
        const url = proc.url;
        let writing = true;
        const before = acknowledged.length;
        const clients = Array.from({ length: 4 }, async (_, client) => {
          for (let i = 0; writing; i++) {
            const name = `r${round}-c${client}-${i}`;
            try {
              const res = await call(`${url}/api/v1/menu/categories`, 'POST', token, { name });
              if (res.status === 201) acknowledged.push(name);
              else unexpected.push(`${name}: ${res.status}`);
            } catch {
              return; // the connection died with the process: never acknowledged
            }
          }
        });
        // The kill lands after a seeded number of acknowledged writes plus a seeded
        // jitter of a few milliseconds, so it hits commits, responses and idle gaps.
        const target = before + 5 + Math.floor(random() * 60);
        await eventually(() => Promise.resolve(acknowledged.length >= target ? true : undefined), 600, 10);
        await new Promise((resolve) => setTimeout(resolve, Math.floor(random() * 15)));
        proc.child.kill('SIGKILL');
        await proc.exited;
        writing = false;
        await Promise.all(clients);

        proc = await spawnApp('api', embedded(file));
        await waitFor(proc, '/health/ready', 200);
        const stored = await categoryNames(proc.url, token);
        expect({ round, seed, missing: acknowledged.filter((name) => !stored.has(name)) }).toEqual({
          round,
          seed,
          missing: [],
        });
      }
      expect(unexpected).toEqual([]);
      expect(acknowledged.length).toBeGreaterThanOrEqual(10 * 5);
    } finally {
      await proc.stop();
    }
  });
});

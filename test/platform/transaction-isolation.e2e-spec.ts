import { randomBytes } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import type { IsolationLevel } from 'typeorm/driver/types/IsolationLevel.js';
import { TransactionRunner } from '@coffee/database';
import { describeFull } from '../support/env';
import { startTestApi, type TestApi } from '../support/test-app';

/**
 * TransactionRunner sets the isolation level per pooled session and only when
 * it changes. What matters is that every transaction still runs at the level it
 * asked for (or REPEATABLE READ when it named none), whichever level the
 * connection served last: checked by behaviour, a row changed and committed
 * by another connection between two reads of the same transaction.
 */
describeFull('transaction isolation levels on pooled connections (MariaDB)', () => {
  jest.setTimeout(60_000);

  let api: TestApi;
  let dataSource: DataSource;
  let transactions: TransactionRunner;
  const table = `isolation_probe_${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    api = await startTestApi();
    dataSource = api.app.get(DataSource);
    transactions = api.app.get(TransactionRunner);
    await dataSource.query(`CREATE TABLE ${table} (id INT PRIMARY KEY, v INT NOT NULL) ENGINE=InnoDB`);
    await dataSource.query(`INSERT INTO ${table} VALUES (1, 0)`);
  });

  afterAll(async () => {
    await dataSource.query(`DROP TABLE IF EXISTS ${table}`);
    await api.close();
  });

  const read = async (manager: EntityManager): Promise<number> =>
    Number((await manager.query<{ v: number }[]>(`SELECT v FROM ${table} WHERE id = 1`))[0].v);

  /** Whether a change committed by another connection mid-transaction is seen by the transaction's second read. */
  async function seesOthersCommits(isolation?: IsolationLevel): Promise<boolean> {
    return transactions.run(async (manager) => {
      const before = await read(manager);
      await dataSource.query(`UPDATE ${table} SET v = v + 1 WHERE id = 1`);
      return (await read(manager)) !== before;
    }, isolation);
  }

  it('runs each transaction at its own level, whatever level its connection had before', async () => {
    // Sequential, so the pool hands the same few connections back and forth between levels.
    const sequence: (IsolationLevel | undefined)[] = [
      'READ COMMITTED',
      undefined,
      'READ COMMITTED',
      'READ COMMITTED',
      'REPEATABLE READ',
      'READ COMMITTED',
      undefined,
      undefined,
      'READ COMMITTED',
    ];
    const seen: boolean[] = [];
    for (const isolation of sequence) seen.push(await seesOthersCommits(isolation));
    expect(seen).toEqual(sequence.map((isolation) => isolation === 'READ COMMITTED'));
  });

  // Four at a time: each holds one connection and takes a second for the other change (pool of 10).
  it('keeps the levels apart under concurrency', async () => {
    const levels: (IsolationLevel | undefined)[] = Array.from({ length: 4 }, (_, i) =>
      i % 2 === 0 ? 'READ COMMITTED' : undefined,
    );
    const seen = await Promise.all(levels.map((isolation) => seesOthersCommits(isolation)));
    expect(seen).toEqual(levels.map((isolation) => isolation === 'READ COMMITTED'));
  });
});

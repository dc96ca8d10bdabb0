import type { MysqlDataSourceOptions } from 'typeorm/driver/mysql/MysqlDataSourceOptions.js';
import { databaseConfigFrom, validateEnvironment } from '@coffee/config';
import { buildDataSourceOptions } from './data-source.options';

function optionsFor(env: Record<string, string>): MysqlDataSourceOptions {
  return buildDataSourceOptions(databaseConfigFrom(validateEnvironment(env))) as MysqlDataSourceOptions;
}

describe('buildDataSourceOptions with read replicas', () => {
  it('connects to the primary alone when DB_READ_HOSTS is unset', () => {
    const options = optionsFor({ DATABASE_URL: 'mariadb://u:p@primary:3307/shop' });
    expect(options).toMatchObject({ host: 'primary', port: 3307, username: 'u', password: 'p', database: 'shop' });
    expect(options.replication).toBeUndefined();
  });

  it('sets up TypeORM replication that sends nothing to a replica unless asked, and never drops a node', () => {
    const options = optionsFor({
      DATABASE_URL: 'mariadb://u:p@primary:3307/shop',
      DB_READ_HOSTS: 'replica-a,replica-b:3310',
    });
    expect(options.host).toBeUndefined();
    const credentials = { username: 'u', password: 'p', database: 'shop' };
    expect(options.replication).toEqual({
      master: { host: 'primary', port: 3307, ...credentials },
      slaves: [
        { host: 'replica-a', port: 3307, ...credentials },
        { host: 'replica-b', port: 3310, ...credentials },
      ],
      // TypeORM's default ('slave') would send every find and query builder outside a transaction to a replica.
      defaultMode: 'master',
      // mysql2's defaults would retry a dead node in a loop, then remove it (the primary included) for good.
      canRetry: false,
      removeNodeErrorCount: Number.MAX_SAFE_INTEGER,
      restoreNodeTimeout: 0,
      selector: 'RR',
    });
  });
});

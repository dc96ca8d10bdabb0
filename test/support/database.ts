import { createConnection, type Connection } from 'mysql2/promise';

/** A connection of the test's own to the MariaDB the suite runs on (full mode only), outside the app's pool. */
export function connectToDatabase(): Promise<Connection> {
  const url = new URL(process.env.DATABASE_URL!);
  return createConnection({
    host: url.hostname,
    port: Number(url.port),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    database: url.pathname.slice(1),
  });
}

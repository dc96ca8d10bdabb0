import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';

/**
 * Runs hand-written SQL with `:name` / `:...list` parameters and turns its
 * rows (every column of the entity's table, `SELECT *`) into entities, column
 * by column, with the driver's own conversions (dates, transformers such as
 * money's). For hot reads: TypeORM's query builder rebuilds and re-escapes the
 * SQL text and maps rows through its alias machinery on every call, which
 * costs more than the query's round trip on a short page. The driver expands
 * the parameters for MySQL/MariaDB and SQLite alike (a Date becomes SQLite's
 * datetime text), and the statement is logged like any other.
 */
export async function selectEntities<T extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<T>,
  sql: string,
  parameters: Record<string, unknown>,
): Promise<T[]> {
  const rows = await selectRows(manager, sql, parameters);
  const metadata = manager.connection.getMetadata(entity);
  const driver = manager.connection.driver;
  return rows.map((row) => {
    const hydrated = metadata.create() as T;
    for (const column of metadata.columns)
      column.setEntityValue(hydrated, driver.prepareHydratedValue(row[column.databaseName], column));
    return hydrated;
  });
}

/** Hand-written SQL with `:name` / `:...list` parameters, its rows as the driver returns them. */
export async function selectRows(
  manager: EntityManager,
  sql: string,
  parameters: Record<string, unknown>,
): Promise<Record<string, unknown>[]> {
  const [text, values] = manager.connection.driver.escapeQueryWithParameters(sql, parameters);
  return manager.query<Record<string, unknown>[]>(text, values);
}

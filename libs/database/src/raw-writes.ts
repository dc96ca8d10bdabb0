import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata.js';
import type { EntityManager, EntityMetadata, EntityTarget, ObjectLiteral } from 'typeorm';

/** The columns of `metadata` named by `properties`, in that order; an unknown name is a programming error. */
function columnsOf(metadata: EntityMetadata, properties: string[]): ColumnMetadata[] {
  return properties.map((property) => {
    const column = metadata.findColumnWithPropertyName(property);
    if (!column) throw new Error(`${metadata.name} has no column for ${property}`);
    return column;
  });
}

interface InsertShape {
  head: string;
  columns: ColumnMetadata[];
}

const insertShapes = new WeakMap<EntityMetadata, Map<string, InsertShape>>();

/** The `INSERT INTO t (a, b, …) VALUES ` text and the columns for one set of property names, made once. */
function insertShape(manager: EntityManager, metadata: EntityMetadata, properties: string[]): InsertShape {
  let shapes = insertShapes.get(metadata);
  if (!shapes) insertShapes.set(metadata, (shapes = new Map<string, InsertShape>()));
  const signature = properties.join(',');
  let shape = shapes.get(signature);
  if (!shape) {
    const { driver } = manager.connection;
    const columns = columnsOf(metadata, properties);
    const names = columns.map((column) => driver.escape(column.databaseName)).join(', ');
    shape = { head: `INSERT INTO ${driver.escape(metadata.tableName)} (${names}) VALUES `, columns };
    shapes.set(signature, shape);
  }
  return shape;
}

/**
 * Inserts rows in one statement written from the entity's metadata and run
 * with `manager.query`: the same column names and value conversions as
 * TypeORM's `insert()` (`driver.preparePersistentValue`: transformers,
 * booleans, dates for MySQL and SQLite alike), without its query builder,
 * whose per-statement CPU cost was most of the API's own work on a hot write
 * path (docs/benchmarks.md, order placement). The first row's defined
 * properties that are columns are the columns (every row must have them, as
 * with insert(), other properties are ignored); a column left out takes its
 * database default. No entity listeners run: callers set ids.
 */
export async function insertRows<T extends ObjectLiteral>(
  manager: EntityManager,
  target: EntityTarget<T>,
  rows: Partial<T>[],
): Promise<void> {
  if (rows.length === 0) return;
  const metadata = manager.connection.getMetadata(target);
  const first: ObjectLiteral = rows[0];
  const properties = Object.keys(first).filter(
    (property) => first[property] !== undefined && metadata.findColumnWithPropertyName(property),
  );
  const { head, columns } = insertShape(manager, metadata, properties);
  const { driver } = manager.connection;
  const placeholders = `(${columns.map(() => '?').join(', ')})`;
  const parameters: unknown[] = [];
  for (const row of rows as ObjectLiteral[]) {
    for (const [index, column] of columns.entries()) {
      const value: unknown = row[properties[index]];
      // The driver would write undefined as NULL, where insert() writes the default.
      if (value === undefined) throw new Error(`insertRows: ${metadata.name}.${properties[index]} is missing in a row`);
      parameters.push(driver.preparePersistentValue(value, column));
    }
  }
  await manager.query(head + rows.map(() => placeholders).join(', '), parameters);
}

/**
 * `UPDATE t SET … WHERE a = ? AND b = ?` for equality conditions, written and
 * converted like {@link insertRows}. Resolves nothing: callers that need the
 * number of rows changed use their repository's update instead.
 */
export async function updateRows<T extends ObjectLiteral>(
  manager: EntityManager,
  target: EntityTarget<T>,
  where: Partial<T>,
  set: Partial<T>,
): Promise<void> {
  const metadata = manager.connection.getMetadata(target);
  const { driver } = manager.connection;
  const assign = columnsOf(metadata, Object.keys(set));
  const match = columnsOf(metadata, Object.keys(where));
  const sql = `UPDATE ${driver.escape(metadata.tableName)} SET ${assign
    .map((column) => `${driver.escape(column.databaseName)} = ?`)
    .join(', ')} WHERE ${match.map((column) => `${driver.escape(column.databaseName)} = ?`).join(' AND ')}`;
  // preparePersistentValue is typed `any`: it returns what the driver will bind.
  const parameters: unknown[] = [
    ...assign.map((column): unknown =>
      driver.preparePersistentValue((set as ObjectLiteral)[column.propertyName], column),
    ),
    ...match.map((column): unknown =>
      driver.preparePersistentValue((where as ObjectLiteral)[column.propertyName], column),
    ),
  ];
  await manager.query(sql, parameters);
}

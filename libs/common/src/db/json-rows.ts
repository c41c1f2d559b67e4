import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';

const TIMESTAMP_TYPES = new Set([
  'timestamptz',
  'timestamp with time zone',
  'timestamp',
  'timestamp without time zone',
]);

/**
 * An entity from a row PostgreSQL returned as JSON (`row_to_json`): column
 * names mapped to properties and timestamps to Dates by the entity's own
 * metadata, so the usual views apply to rows read in one statement.
 */
export function fromJsonRow<E extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<E>,
  row: Record<string, unknown>,
): E {
  const metadata = manager.connection.getMetadata(entity);
  const values: Record<string, unknown> = {};
  for (const column of metadata.columns) {
    if (!(column.databaseName in row)) continue;
    const value = row[column.databaseName];
    values[column.propertyName] =
      value !== null && TIMESTAMP_TYPES.has(String(column.type)) ? new Date(value as string) : value;
  }
  // The entity's own instance with the columns' values (what `manager.create` makes of a flat object, without
  // its general transformer: this runs for every part of every person read).
  return Object.assign(metadata.create() as E, values);
}

export function fromJsonRows<E extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<E>,
  rows: Record<string, unknown>[] | null,
): E[] {
  return (rows ?? []).map((row) => fromJsonRow(manager, entity, row));
}

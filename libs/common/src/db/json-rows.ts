import type { EntityManager, EntityMetadata, EntityTarget, ObjectLiteral } from 'typeorm';

const TIMESTAMP_TYPES = new Set([
  'timestamptz',
  'timestamp with time zone',
  'timestamp',
  'timestamp without time zone',
]);

/** An entity's columns as a JSON row names them: property, column, and whether it holds a time. */
type ColumnPlan = { property: string; column: string; time: boolean }[];

const plans = new WeakMap<EntityMetadata, ColumnPlan>();

function planOf(metadata: EntityMetadata): ColumnPlan {
  let plan = plans.get(metadata);
  if (!plan) {
    plan = metadata.columns.map((c) => ({
      property: c.propertyName,
      column: c.databaseName,
      time: TIMESTAMP_TYPES.has(String(c.type)),
    }));
    plans.set(metadata, plan);
  }
  return plan;
}

/**
 * An entity from a row PostgreSQL returned as JSON (`row_to_json`): column
 * names mapped to properties and timestamps to Dates by the entity's own
 * metadata, so the usual views apply to rows read in one statement. The
 * entity's own instance with its columns' values (what `manager.create`
 * makes of a flat row, without its general transformer: this runs for every
 * part of every person read).
 */
export function fromJsonRow<E extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<E>,
  row: Record<string, unknown>,
): E {
  const metadata = manager.connection.getMetadata(entity);
  const instance = metadata.create() as Record<string, unknown>;
  for (const { property, column, time } of planOf(metadata)) {
    if (!(column in row)) continue;
    const value = row[column];
    instance[property] = value !== null && time ? new Date(value as string) : value;
  }
  return instance as E;
}

export function fromJsonRows<E extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<E>,
  rows: Record<string, unknown>[] | null,
): E[] {
  return (rows ?? []).map((row) => fromJsonRow(manager, entity, row));
}

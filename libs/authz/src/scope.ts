import { rulesToAST } from '@casl/ability/extra';
import type { AppAbility } from './ability.factory';
import { type Action, SCOPE_COLUMNS, type ScopeColumn, type ScopedSubject, type SubjectFields } from './subjects';

/** Where the fields of the rules are found in one statement. */
export interface ScopeBinding<S extends ScopedSubject = ScopedSubject> {
  /** The alias of the `persons` row (fields `on: 'person'`). */
  person?: string;
  /** The alias of the record's own row (fields `on: 'row'`). */
  row?: string;
  /** The alias of the person's open arrival announcement (fields `on: 'arrival'`). */
  arrival?: string;
  /** The values of a record not written yet: compared as parameters instead of columns. */
  values?: Partial<SubjectFields[S]>;
}

export interface SqlScope {
  /** A boolean SQL expression; `FALSE` when the rules grant nothing. */
  sql: string;
  /** Named parameters (`:scope_0`, ...) for TypeORM's query builder. */
  params: Record<string, unknown>;
}

interface Node {
  operator: string;
  value: unknown;
  field?: string;
}

/**
 * What `ability` allows for `action` on `subject`, as a SQL predicate over
 * the columns SCOPE_COLUMNS declares, so the statement that finds, lists or
 * changes a record decides its reach by the same rules as everything else.
 * Fails closed: no rule at all gives `FALSE`; a field with no column, or
 * with no alias or value bound for it in this statement, or an operator not
 * supported here, throws rather than widening the scope.
 */
export function scopeSql<S extends ScopedSubject>(
  ability: AppAbility,
  action: Action,
  subject: S,
  binding: ScopeBinding<S>,
): SqlScope {
  const ast = rulesToAST(ability, action, subject) as Node | null;
  const params: Record<string, unknown> = {};
  if (ast === null) return { sql: 'FALSE', params };
  const param = (value: unknown): string => {
    const name = `scope_${Object.keys(params).length}`;
    params[name] = value;
    return `:${name}`;
  };
  const columns = SCOPE_COLUMNS[subject] as Record<string, ScopeColumn>;
  const values = (binding.values ?? {}) as Record<string, unknown>;
  const operand = (field: string | undefined): { sql: string; array: boolean } => {
    const column = field ? columns[field] : undefined;
    if (!column || !field) throw new Error(`the rules name a field with no column: ${subject}.${field}`);
    if (column.over && !(field in values)) {
      return { sql: column.over.sql(operand(column.over.field).sql), array: Boolean(column.array) };
    }
    if (field in values) {
      return { sql: `${param(values[field])}::text${column.array ? '[]' : ''}`, array: Boolean(column.array) };
    }
    const alias = binding[column.on];
    if (!alias) throw new Error(`the statement binds no ${column.on} for ${subject}.${field}`);
    return { sql: column.sql ? column.sql(alias) : `${alias}.${column.column}`, array: Boolean(column.array) };
  };
  const translate = (node: Node): string => {
    switch (node.operator) {
      case 'and':
      case 'or': {
        const parts = (node.value as Node[]).map(translate);
        if (parts.length === 0) return node.operator === 'and' ? 'TRUE' : 'FALSE';
        return `(${parts.join(node.operator === 'and' ? ' AND ' : ' OR ')})`;
      }
      case 'not':
        return `NOT (${(node.value as Node[]).map(translate).join(' AND ')})`;
      case 'eq': {
        const left = operand(node.field);
        if (node.value === null) return `${left.sql} IS NULL`;
        return left.array ? `${param(node.value)} = ANY(${left.sql})` : `${left.sql} = ${param(node.value)}`;
      }
      case 'in': {
        const left = operand(node.field);
        return left.array ? `${left.sql} && ${param(node.value)}` : `${left.sql} = ANY(${param(node.value)})`;
      }
      default:
        throw new Error(`operator not supported in SQL scopes: ${node.operator}`);
    }
  };
  return { sql: translate(ast), params };
}

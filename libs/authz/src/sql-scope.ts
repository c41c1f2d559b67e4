import { rulesToAST } from '@casl/ability/extra';
import type { AppAbility, Action, Subject } from './ability.factory';

/** How a condition field of the rules maps to SQL: a scalar column, or an array column that must contain the value. */
export interface ScopeColumn {
  sql: string;
  array?: boolean;
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
 * Translates what `ability` allows for `action` on `subject` into a SQL
 * predicate, so lists are scoped by the same rules that check single records.
 * Fails closed: no rule at all gives `FALSE`, and a condition on a field that
 * `columns` does not map, or an operator not supported here, throws rather
 * than widening the scope.
 */
export function sqlScope(
  ability: AppAbility,
  action: Action,
  subject: Exclude<Subject, 'all'>,
  columns: Record<string, ScopeColumn>,
): SqlScope {
  const ast = rulesToAST(ability, action, subject) as Node | null;
  const params: Record<string, unknown> = {};
  if (ast === null) return { sql: 'FALSE', params };
  const param = (value: unknown): string => {
    const name = `scope_${Object.keys(params).length}`;
    params[name] = value;
    return `:${name}`;
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
        const column = node.field ? columns[node.field] : undefined;
        if (!column) throw new Error(`the rules name a field with no column: ${node.field}`);
        if (node.value === null) return `${column.sql} IS NULL`;
        return column.array ? `${param(node.value)} = ANY(${column.sql})` : `${column.sql} = ${param(node.value)}`;
      }
      case 'in': {
        const column = node.field ? columns[node.field] : undefined;
        if (!column) throw new Error(`the rules name a field with no column: ${node.field}`);
        return column.array ? `${column.sql} && ${param(node.value)}` : `${column.sql} = ANY(${param(node.value)})`;
      }
      default:
        throw new Error(`operator not supported in SQL scopes: ${node.operator}`);
    }
  };
  return { sql: translate(ast), params };
}

/** A scope for raw SQL: its named parameters as positional ones ($n...), numbered after `before` others. */
export function positionalScope(scope: SqlScope, before = 0): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const sql = scope.sql.replace(/:(scope_\d+)/g, (_, name: string) => {
    params.push(scope.params[name]);
    return `$${before + params.length}`;
  });
  return { sql, params };
}

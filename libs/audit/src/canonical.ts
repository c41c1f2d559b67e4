/**
 * The leaf hash of an event, computed by PostgreSQL from the stored row:
 * SHA-256(0x00 || the UTF-8 text of a JSON array of every field but `seq`,
 * in a fixed order, times in UTC with microseconds), the array's text being
 * exactly what `jsonb_build_array(...)::text` prints. `seq` is left out so
 * that a permutation of sequence numbers shows as `reordered`; the order is
 * committed by the Merkle tree. Written inline (not a stored function) so
 * that nobody can change it in the database.
 *
 * Built with `json_build_array`, which prints the same text for these
 * columns at less cost (no binary jsonb in between), once the array of
 * subjects goes through jsonb, whose printing puts a space after each comma.
 * A test holds the two to the same bytes on events of every shape.
 */
export const LEAF_SQL = `pg_catalog.sha256('\\x00'::bytea || convert_to(pg_catalog.json_build_array(
    e.id, to_char(e.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), e.tx::text,
    e.actor_user_id, e.actor_username, e.actor_role, e.actor_organisation, e.actor_region,
    e.action, e.resource_type, e.resource_id, pg_catalog.to_jsonb(e.subject_person_ids), e.reason, e.outcome,
    e.http_status, e.result_count, e.query, e.request_id, e.ip, e.user_agent, e.recipient, e.details, e.flagged
  )::text, 'UTF8'))`;

/**
 * JSON with sorted keys at every depth and no spaces: what seals and
 * checkpoints sign, and what a disclosure's hash is taken of. Values are
 * first what JSON makes of them (dates as ISO text, undefined left out).
 */
export function canonicalJson(value: object): string {
  return JSON.stringify(sortedKeys(JSON.parse(JSON.stringify(value)) as unknown));
}

function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value === null || typeof value !== 'object') return value;
  const object = value as Record<string, unknown>;
  return Object.fromEntries(
    Object.keys(object)
      .sort()
      .map((key) => [key, sortedKeys(object[key])]),
  );
}

import { AuditLog, AuditSealer, AuditVerifier, LEAF_SQL, RequestAudit } from '@app/audit';
import { sealWritten, untilWatermarkPasses } from '../support/audit';
import { sharedKeys } from '../support/key-files';
import { startTestApp, type TestApp } from '../support/test-app';

async function writeEvents(t: TestApp, n: number, action = 'test.event'): Promise<void> {
  const log = t.app.get(AuditLog);
  for (let i = 0; i < n; i++) await log.record(RequestAudit.system(action).toEvent('allowed', null));
}

/** Changes the log behind the service's back, as an intruder with database rights would (triggers off). */
async function tamper(t: TestApp, ...statements: string[]): Promise<void> {
  await t.dataSource.transaction(async (manager) => {
    await manager.query('SET LOCAL session_replication_role = replica');
    for (const sql of statements) await manager.query(sql);
  });
}

async function seqsOfSeal(t: TestApp, sealNo: number): Promise<number[]> {
  const [row] = await t.dataSource.query(`SELECT seqs::text[] AS seqs FROM audit_seals WHERE seal_no = $1`, [sealNo]);
  return row.seqs.map(Number);
}

describe('sealing and verification', () => {
  let t: TestApp;
  let sealer: AuditSealer;
  let verifier: AuditVerifier;

  beforeEach(async () => {
    t = await startTestApp({ AUDIT_UNSEALED_TOLERANCE_SECONDS: '60' });
    sealer = t.app.get(AuditSealer);
    verifier = t.app.get(AuditVerifier);
    await writeEvents(t, 6);
    await sealWritten(t);
    await writeEvents(t, 5);
    await sealWritten(t);
  });

  afterEach(async () => {
    await t.close();
  });

  it('seals every committed event once, in chained, signed seals, and verifies', async () => {
    const seals = await t.dataSource.query(
      `SELECT seal_no::int, event_count, total_events::int, prev_hash = '\\x${'00'.repeat(32)}'::bytea AS genesis FROM audit_seals ORDER BY seal_no`,
    );
    expect(seals).toEqual([
      { seal_no: 1, event_count: 6, total_events: 6, genesis: true },
      { seal_no: 2, event_count: 5, total_events: 11, genesis: false },
    ]);
    expect(await verifier.verify()).toEqual({
      ok: true,
      checkedEvents: 11,
      sealedThrough: 2,
      firstBadSeq: null,
      problem: null,
      findings: [],
    });
    expect(await sealer.sealOnce()).toBeNull();
  });

  it('detects an altered event at its seq', async () => {
    const [, third] = await seqsOfSeal(t, 1);
    await tamper(t, `UPDATE audit_events SET reason = 'rewritten' WHERE seq = ${third}`);
    expect(await verifier.verify()).toMatchObject({ ok: false, problem: 'altered', firstBadSeq: third });
  });

  it('names every damage, each at its seal, not only the first', async () => {
    const [, second] = await seqsOfSeal(t, 1);
    const later = await seqsOfSeal(t, 2);
    await tamper(
      t,
      `UPDATE audit_events SET reason = 'rewritten' WHERE seq = ${second}`,
      `DELETE FROM audit_events WHERE seq = ${later[2]}`,
    );
    expect(await verifier.verify()).toEqual({
      ok: false,
      checkedEvents: 0,
      sealedThrough: 0,
      firstBadSeq: second,
      problem: 'altered',
      findings: [
        { problem: 'altered', seq: second, sealNo: 1 },
        { problem: 'deleted', seq: later[2], sealNo: 2 },
      ],
    });
  });

  it('detects a deleted event at its seq', async () => {
    const seqs = await seqsOfSeal(t, 2);
    await tamper(t, `DELETE FROM audit_events WHERE seq = ${seqs[3]}`);
    expect(await verifier.verify()).toMatchObject({
      ok: false,
      problem: 'deleted',
      firstBadSeq: seqs[3],
      checkedEvents: 6,
    });
  });

  it('detects an event inserted into a sealed range', async () => {
    const [seal] = await t.dataSource.query(`SELECT tx_from::text FROM audit_seals WHERE seal_no = 1`);
    await tamper(
      t,
      `INSERT INTO audit_events (seq, action, outcome, tx)
       VALUES (nextval('audit_events_seq'), 'forged.entry', 'allowed', '${seal.tx_from}'::xid8)`,
    );
    const [{ seq }] = await t.dataSource.query(`SELECT seq::int FROM audit_events WHERE action = 'forged.entry'`);
    expect(await verifier.verify()).toMatchObject({ ok: false, problem: 'inserted', firstBadSeq: seq });
  });

  it('detects events whose order was changed', async () => {
    const [a, b] = await seqsOfSeal(t, 2);
    await tamper(
      t,
      `UPDATE audit_events SET seq = -1 WHERE seq = ${a}`,
      `UPDATE audit_events SET seq = ${a} WHERE seq = ${b}`,
      `UPDATE audit_events SET seq = ${b} WHERE seq = -1`,
    );
    expect(await verifier.verify()).toMatchObject({ ok: false, problem: 'reordered', firstBadSeq: a });
  });

  it('detects a broken seal chain', async () => {
    const [first] = await seqsOfSeal(t, 2);
    await tamper(t, `UPDATE audit_seals SET prev_hash = '\\x${'11'.repeat(32)}' WHERE seal_no = 2`);
    expect(await verifier.verify()).toMatchObject({
      ok: false,
      problem: 'seal_chain',
      firstBadSeq: first,
      sealedThrough: 1,
    });
  });

  it.each([
    [
      'its event numbers',
      (seqs: number[]) => `seqs = '{${[...seqs.slice(0, -1), seqs[seqs.length - 1] + 100].join(',')}}'`,
    ],
    ['leaf hashes', () => `leaves = overlay(leaves PLACING '\\x${'22'.repeat(32)}'::bytea FROM 1)`],
  ])('detects a seal whose stored %s were changed', async (_, change) => {
    const seqs = await seqsOfSeal(t, 2);
    await tamper(t, `UPDATE audit_seals SET ${change(seqs)} WHERE seal_no = 2`);
    expect(await verifier.verify()).toMatchObject({
      ok: false,
      problem: 'seal_chain',
      firstBadSeq: seqs[0],
      sealedThrough: 1,
    });
  });

  it("computes every leaf as SHA-256 of 0x00 and jsonb_build_array's text, for events of every shape", async () => {
    // The leaf format's definition; LEAF_SQL computes the same bytes more cheaply.
    const reference = `sha256('\\x00'::bytea || convert_to(jsonb_build_array(
      e.id, to_char(e.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), e.tx::text,
      e.actor_user_id, e.actor_username, e.actor_role, e.actor_organisation, e.actor_region,
      e.action, e.resource_type, e.resource_id, e.subject_person_ids, e.reason, e.outcome,
      e.http_status, e.result_count, e.query, e.request_id, e.ip, e.user_agent, e.recipient, e.details, e.flagged
    )::text, 'UTF8'))`;
    const odd = 'Петровић "č" \\ \t\n\u0001 😀 </script> \u2028';
    await t.dataSource.query(
      `INSERT INTO audit_events (actor_user_id, actor_username, actor_role, actor_organisation, actor_region, action,
                                 resource_type, resource_id, subject_person_ids, reason, outcome, http_status,
                                 result_count, query, request_id, ip, user_agent, recipient, details, flagged)
       VALUES (gen_random_uuid(), $1, 'registry_clerk', $1, 'PU-NIS', 'shape.test', 'person', $1,
               ARRAY[gen_random_uuid(), gen_random_uuid(), gen_random_uuid()]::uuid[], $1, 'allowed', 200, 3,
               $2::jsonb, $1, '::1', $1, $1, $3::jsonb, true),
              (NULL, NULL, NULL, NULL, NULL, 'shape.test', NULL, NULL, '{}', NULL, 'error', NULL, NULL,
               NULL, NULL, NULL, NULL, NULL, NULL, false),
              (NULL, $1, NULL, NULL, NULL, 'shape.test', NULL, NULL, ARRAY[gen_random_uuid()]::uuid[], NULL, 'denied', 404,
               0, '{}'::jsonb, NULL, NULL, NULL, NULL, '[]'::jsonb, false)`,
      [
        odd,
        JSON.stringify({
          q: odd,
          limit: 1.5,
          big: 12345678901234567890n.toString(),
          nested: { b: [1, null], a: true },
        }),
        JSON.stringify({ before: { z: 1, a: [odd, 2.5, -0, 1e30], ключ: null }, after: null }),
      ],
    );
    const [row] = await t.dataSource.query(
      `SELECT count(*)::int AS events, count(*) FILTER (WHERE ${LEAF_SQL} <> ${reference})::int AS different,
              count(*) FILTER (WHERE e.action = 'shape.test')::int AS shapes
         FROM audit_events e`,
    );
    expect(row).toEqual({ events: expect.any(Number), different: 0, shapes: 3 });
    expect(row.events).toBeGreaterThan(10);
  });

  it('detects a seal removed from the chain', async () => {
    await tamper(t, `DELETE FROM audit_seals WHERE seal_no = 1`);
    expect(await verifier.verify()).toMatchObject({ ok: false, problem: 'seal_chain', sealedThrough: 0 });
  });

  it('detects a bad signature', async () => {
    const [first] = await seqsOfSeal(t, 1);
    await tamper(t, `UPDATE audit_seals SET signature = '\\x${'ab'.repeat(64)}' WHERE seal_no = 1`);
    expect(await verifier.verify()).toMatchObject({ ok: false, problem: 'signature', firstBadSeq: first });
  });

  it('detects events left unsealed too long', async () => {
    await tamper(
      t,
      `INSERT INTO audit_events (seq, action, outcome, at)
       VALUES (nextval('audit_events_seq'), 'stale.event', 'allowed', now() - interval '2 minutes')`,
    );
    const [{ seq }] = await t.dataSource.query(`SELECT seq::int FROM audit_events WHERE action = 'stale.event'`);
    expect(await verifier.verify()).toMatchObject({
      ok: false,
      problem: 'unsealed',
      firstBadSeq: seq,
      checkedEvents: 11,
    });
  });

  it('detects truncation, and a rewrite, against a checkpoint kept outside', async () => {
    const checkpoint = await sealer.latestCheckpoint();
    expect(checkpoint).toMatchObject({ sealedThrough: 2, treeSize: 11, root: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(await verifier.verify(checkpoint!)).toMatchObject({ ok: true });

    const forged = { ...checkpoint!, treeSize: 12 };
    expect(await verifier.verify(forged)).toMatchObject({ ok: false, problem: 'signature' });

    const seqs = await seqsOfSeal(t, 2);
    await tamper(
      t,
      `DELETE FROM audit_seals WHERE seal_no = 2`,
      `DELETE FROM audit_events WHERE seq = ANY('{${seqs.join(',')}}')`,
    );
    // Without the checkpoint the shorter log looks whole; with it, the truncation shows.
    expect(await verifier.verify()).toMatchObject({ ok: true, sealedThrough: 1 });
    expect(await verifier.verify(checkpoint!)).toMatchObject({ ok: false, problem: 'truncated' });
  });

  it('seals a lower seq that commits late, once, after the transaction ends', async () => {
    const runner = t.dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    await runner.query(`INSERT INTO audit_events (action, outcome) VALUES ('late.commit', 'allowed')`);
    await writeEvents(t, 2, 'early.commit');
    await sealer.sealOnce();
    const sealedNow = await t.dataSource.query(
      `SELECT e.action FROM audit_events e, audit_seals s WHERE e.seq = ANY(s.seqs) AND e.action IN ('late.commit', 'early.commit')`,
    );
    // The open transaction holds the watermark back: neither the late event nor those after it are sealed yet.
    expect(sealedNow).toEqual([]);
    await runner.commitTransaction();
    await runner.release();
    await sealWritten(t);
    const sealed = await t.dataSource.query(
      `SELECT e.action, count(*)::int AS times FROM audit_events e JOIN audit_seals s ON e.seq = ANY(s.seqs)
        WHERE e.action IN ('late.commit', 'early.commit') GROUP BY e.action ORDER BY e.action`,
    );
    expect(sealed).toEqual([
      { action: 'early.commit', times: 2 },
      { action: 'late.commit', times: 1 },
    ]);
    expect(await verifier.verify()).toMatchObject({ ok: true, checkedEvents: 14 });
  });
});

describe('a backlog', () => {
  it('is sealed in seals of at most AUDIT_MAX_EVENTS_PER_SEAL events, cut at transaction boundaries', async () => {
    const t = await startTestApp({ AUDIT_MAX_EVENTS_PER_SEAL: '3' });
    try {
      await writeEvents(t, 7);
      await untilWatermarkPasses(t);
      const sealer = t.app.get(AuditSealer);
      const counts = [];
      for (let seal = await sealer.sealOnce(); seal; seal = await sealer.sealOnce()) counts.push(seal.eventCount);
      expect(counts).toEqual([3, 3, 1]);
      expect(await t.app.get(AuditVerifier).verify()).toMatchObject({ ok: true, checkedEvents: 7, sealedThrough: 3 });
    } finally {
      await t.close();
    }
  });
});

describe('two sealers at once', () => {
  it('seal each event exactly once', async () => {
    const keys = await sharedKeys();
    const first = await startTestApp(keys.env);
    const second = await startTestApp(keys.env, [], first.database);
    try {
      for (let round = 1; round <= 5; round++) {
        await writeEvents(first, 4);
        await untilWatermarkPasses(first);
        const seals = await Promise.all([
          first.app.get(AuditSealer).sealOnce(),
          second.app.get(AuditSealer).sealOnce(),
        ]);
        // One takes the lock and seals the round's events; the other finds the lock taken or nothing left.
        expect(seals.filter((seal) => seal !== null)).toEqual([{ sealNo: round, eventCount: 4 }]);
      }
      expect(await first.app.get(AuditSealer).sealOnce()).toBeNull();
      const [row] = await first.dataSource.query(
        `SELECT count(*)::int AS sealed, count(DISTINCT seq)::int AS distinct_seqs,
                (SELECT count(*)::int FROM audit_events) AS events
           FROM (SELECT unnest(seqs) AS seq FROM audit_seals) s`,
      );
      expect(row).toEqual({ sealed: 20, distinct_seqs: 20, events: 20 });
      expect(await second.app.get(AuditVerifier).verify()).toMatchObject({ ok: true, checkedEvents: 20 });
    } finally {
      await second.close();
      await first.close();
      await keys.remove();
    }
  });
});

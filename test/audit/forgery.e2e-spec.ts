import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import request from 'supertest';
import pg from 'pg';
import {
  AuditSealer,
  AuditVerifier,
  INSERT_SEAL,
  LEAF_SQL,
  merkleRoot,
  sealHash,
  sealParameters,
  seqsHashOf,
} from '@app/audit';
import { MetricsService } from '@app/common';
import { eventsOf, rid, sealWritten, untilWatermarkPasses } from '../support/audit';
import { bearer, signedIn, type TestAccount, type Tokens } from '../support/identity';
import { sharedKeys } from '../support/key-files';
import { runtimeRoleUrl } from '../support/runtime-role';
import { startTestApp, type TestApp } from '../support/test-app';

/** Every forgery below is one that a holder of the runtime role's credentials (an injected statement, a leaked password) can try. */
describe('what the runtime role cannot forge', () => {
  let keys: Awaited<ReturnType<typeof sharedKeys>>;
  let owner: TestApp;
  let t: TestApp;
  let intruder: pg.Client;
  let admin: TestAccount & Tokens;
  let auditor: TestAccount & Tokens;

  beforeEach(async () => {
    keys = await sharedKeys();
    owner = await startTestApp(keys.env);
    const url = await runtimeRoleUrl(owner, 'register_test_forgery', 'forgery-test-password');
    t = await startTestApp({ ...keys.env, DATABASE_URL: url, AUDIT_MAX_EVENTS_PER_SEAL: '50' }, [], owner.database);
    intruder = new pg.Client({ connectionString: url });
    await intruder.connect();
    admin = await signedIn(t, 'admin');
    auditor = await signedIn(t, 'auditor');
  });

  afterEach(async () => {
    await intruder.end();
    await t.close();
    await owner.close();
    await keys.remove();
  });

  const forge = async <R = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<R[]> =>
    (await intruder.query(sql, params)).rows as R[];
  const verify = () => request(t.server).get('/api/v1/audit/verify').set(bearer(auditor.accessToken));
  const me = async (): Promise<void> => {
    expect((await request(t.server).get('/api/v1/auth/me').set(bearer(admin.accessToken))).status).toBe(200);
  };
  const forgedSealsReported = async (): Promise<number> => {
    const metric = await t.app.get(MetricsService).registry.getSingleMetric('audit_forged_seals_total')?.get();
    return metric?.values[0]?.value ?? 0;
  };

  it('refuses events carrying a sequence number of their own, so that none is taken ahead of the writers', async () => {
    const [{ top }] = await forge<{ top: number }>(`SELECT max(seq)::int AS top FROM audit_events`);
    for (const [i, seq] of [top + 1, top + 2, top + 3, top + 1000].entries()) {
      const overriding = i % 2 === 0 ? 'OVERRIDING SYSTEM VALUE' : '';
      await expect(
        forge(
          `INSERT INTO audit_events (seq, actor_username, action, outcome) ${overriding}
           VALUES ($1, 'someone.else', 'forged.entry', 'allowed')`,
          [seq],
        ),
      ).rejects.toThrow(/audit_events\.seq is the database's to assign/);
    }
    await expect(forge(`SELECT nextval('audit_events_seq')`)).rejects.toThrow(/permission denied/);
    await expect(forge(`SELECT setval('audit_events_seq', 1)`)).rejects.toThrow(/permission denied/);
    expect(await forge(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'forged.entry'`)).toEqual([
      { n: 0 },
    ]);
    // Nor do the triggers go off, or a sequence of the session's own stand in for the database's.
    await expect(forge(`SET session_replication_role = replica`)).rejects.toThrow(/permission denied/);
    await expect(forge(`ALTER TABLE audit_events DISABLE TRIGGER audit_events_stamp`)).rejects.toThrow(/must be owner/);
    await forge(`CREATE TEMP SEQUENCE audit_events_seq START 1000000`);
    const [shadowed] = await forge<{ seq: number }>(
      `INSERT INTO audit_events (action, outcome) VALUES ('shadowed.sequence', 'allowed') RETURNING seq::int`,
    );
    expect(shadowed.seq).toBeGreaterThan(top);
    expect(shadowed.seq).toBeLessThan(1_000_000);

    // The writers go on, numbered by the database after everything before.
    const id = rid();
    const res = await request(t.server).get('/api/v1/auth/me').set(bearer(admin.accessToken)).set('X-Request-Id', id);
    expect(res.status).toBe(200);
    const [event] = await eventsOf(t, id);
    expect(event).toMatchObject({ action: 'auth.me', outcome: 'allowed', actor_user_id: admin.user.id });
    expect(Number(event.seq)).toBeGreaterThan(top);
  });

  it('refuses reviews written into the table; a review forged as an event is named by verification', async () => {
    const created = await request(t.server).post('/api/v1/users').set(bearer(admin.accessToken)).send({
      username: 'flagged.clerk',
      password: 'a long enough passphrase',
      displayName: 'F',
      role: 'registry_clerk',
      organisation: 'UIKS',
    });
    expect(created.status).toBe(201);
    const [flagged] = await forge<{ id: string }>(
      `SELECT id FROM audit_events WHERE action = 'user.create' AND flagged AND resource_id = $1`,
      [created.body.id],
    );
    await expect(
      forge(
        `INSERT INTO audit_reviews (event_id, at, reviewer_user_id, reviewer_username, note)
         VALUES ($1, '2020-01-01', $2, $3, 'Looks fine.')`,
        [flagged.id, auditor.user.id, auditor.username],
      ),
    ).rejects.toThrow(/permission denied/);

    // The reviewer is the signed-in auditor, never a value the client sends.
    const review = (id: string, body: Record<string, unknown>) =>
      request(t.server).post(`/api/v1/audit/events/${id}/review`).set(bearer(auditor.accessToken)).send(body);
    const named = await review(flagged.id, { note: 'Fine.', reviewer: { userId: admin.user.id } });
    expect(named.status).toBe(400);
    const [other] = await forge<{ id: string }>(
      `SELECT id FROM audit_events WHERE action = 'auth.login' ORDER BY seq LIMIT 1`,
    );
    const genuine = await review(other.id, { note: 'Checked.' });
    expect(genuine.status).toBe(201);
    expect(genuine.body).toMatchObject({
      eventId: other.id,
      reviewer: { userId: auditor.user.id, username: auditor.username },
      note: 'Checked.',
    });

    // Forged in SQL: one back-dated review in the auditor's name, one carrying the genuine review's signature.
    const asReview = `INSERT INTO audit_events (actor_user_id, actor_username, actor_role, action, resource_type,
                                                resource_id, outcome, http_status, details, at)
                      VALUES ($1, $2, 'auditor', 'audit.review', 'audit_event', $3, 'allowed', 201, $4::jsonb, '2020-01-01')
                      RETURNING seq::int, at > now() - interval '1 minute' AS stamped_now`;
    const [plain] = await forge<{ seq: number; stamped_now: boolean }>(asReview, [
      auditor.user.id,
      auditor.username,
      flagged.id,
      JSON.stringify({ note: 'Checked.' }),
    ]);
    expect(plain.stamped_now).toBe(true);
    const [{ details }] = await forge<{ details: unknown }>(`SELECT details FROM audit_events WHERE id = $1`, [
      genuine.body.id,
    ]);
    const [copied] = await forge<{ seq: number }>(asReview, [
      auditor.user.id,
      auditor.username,
      flagged.id,
      JSON.stringify(details),
    ]);

    const res = await verify();
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      ok: false,
      checkedEvents: 0,
      sealedThrough: 0,
      firstBadSeq: plain.seq,
      problem: 'signature',
      findings: [
        { problem: 'signature', seq: plain.seq, sealNo: null },
        { problem: 'signature', seq: copied.seq, sealNo: null },
      ],
    });
  });

  it('refuses a seal out of turn or over transactions still to come, and sealing goes on', async () => {
    await sealWritten(t);
    const [head] = await forge<{ seal_no: string; tx_to: string; total_events: string; hash: Buffer }>(
      `SELECT seal_no::text, tx_to::text, total_events::text, hash FROM audit_seals ORDER BY seal_no DESC LIMIT 1`,
    );
    const empty = createHash('sha256').digest();
    // A table of the session's own does not stand in for the seals either.
    await forge(`CREATE TEMP TABLE audit_seals AS SELECT 1000::bigint AS seal_no`);
    const seal = (sealNo: string, txTo: string) =>
      forge(
        `INSERT INTO public.audit_seals (seal_no, sealed_at, tx_from, tx_to, event_count, total_events, first_seq, last_seq,
                                  seqs, leaves, merkle_root, prev_hash, hash, key_id, signature)
         VALUES ($1, now(), $2::xid8, $3::xid8, 0, $4, NULL, NULL, '{}', '', $5, $6, $5, 'forged', $5)`,
        [sealNo, head.tx_to, txTo, head.total_events, empty, head.hash],
      );
    const [{ xmin }] = await forge<{ xmin: string }>(`SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin`);
    await expect(seal(String(Number(head.seal_no) + 1), String(BigInt(xmin) + 1_000_000n))).rejects.toThrow(
      /a seal covers only finished transactions/,
    );
    for (const sealNo of [String(Number(head.seal_no) + 5), '1001', '9223372036854775807']) {
      await expect(seal(sealNo, xmin)).rejects.toThrow(/a seal takes the next number/);
    }
    expect(await forge(`SELECT count(*)::int AS n FROM public.audit_seals`)).toEqual([{ n: Number(head.seal_no) }]);

    await me();
    await sealWritten(t);
    expect(await t.app.get(AuditVerifier).verify()).toMatchObject({ ok: true, findings: [] });
  });

  it('cannot slip a seal in while the sealer works: a seal from elsewhere waits for the sealer’s lock', async () => {
    await sealWritten(t);
    const [head] = await forge<{ seal_no: string; tx_to: string; total_events: string; hash: Buffer }>(
      `SELECT seal_no::text, tx_to::text, total_events::text, hash FROM audit_seals ORDER BY seal_no DESC LIMIT 1`,
    );
    const [{ xmin }] = await forge<{ xmin: string }>(`SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin`);
    const empty = createHash('sha256').digest();
    // The sealer between reading the chain's head and writing the next seal: its lock held.
    const sealer = owner.dataSource.createQueryRunner();
    await sealer.connect();
    await sealer.startTransaction();
    await sealer.query('SELECT pg_advisory_xact_lock(7302013003)');
    try {
      await forge(`SET lock_timeout = '300ms'`);
      await expect(
        forge(
          `INSERT INTO audit_seals (seal_no, sealed_at, tx_from, tx_to, event_count, total_events, first_seq, last_seq,
                                    seqs, leaves, merkle_root, prev_hash, hash, key_id, signature)
           VALUES ($1, now(), $2::xid8, $3::xid8, 0, $4, NULL, NULL, '{}', '', $5, $6, $5, 'forged', $5)`,
          [String(Number(head.seal_no) + 1), head.tx_to, xmin, head.total_events, empty, head.hash],
        ),
      ).rejects.toThrow(/lock timeout/);
    } finally {
      await sealer.rollbackTransaction();
      await sealer.release();
      await forge(`RESET lock_timeout`);
    }
    expect(await forge(`SELECT count(*)::int AS n FROM audit_seals`)).toEqual([{ n: Number(head.seal_no) }]);
  });

  it('cannot stop the sealer with one transaction of more events than a seal takes', async () => {
    await sealWritten(t);
    await forge(
      `INSERT INTO audit_events (action, outcome) SELECT 'bulk.entry', 'allowed' FROM generate_series(1, 51)`,
    );
    await me();
    await untilWatermarkPasses(t);
    const sealer = t.app.get(AuditSealer);
    // The transaction is sealed whole, alone; what follows it in the next seal.
    expect(await sealer.sealOnce()).toMatchObject({ eventCount: 51 });
    expect(await sealer.sealOnce()).toMatchObject({ eventCount: 1 });
    expect(await sealer.sealOnce()).toBeNull();
    expect(await t.app.get(AuditVerifier).verify()).toMatchObject({ ok: true, findings: [] });
  });

  it('skips and reports a seal the sealing key did not make, seals its events, and verification names it', async () => {
    await sealWritten(t);
    for (let i = 0; i < 3; i++) await me();
    await untilWatermarkPasses(t);

    // The intruder seals the new events itself: everything right but the key.
    const foreignKey = generateKeyPairSync('ed25519').privateKey;
    await forge('BEGIN');
    const [head] = await forge<{ seal_no: string; tx_to: string; total_events: string; hash: Buffer; key_id: string }>(
      `SELECT seal_no::text, tx_to::text, total_events::text, hash, key_id FROM audit_seals
        ORDER BY seal_no DESC LIMIT 1`,
    );
    const [{ xmin }] = await forge<{ xmin: string }>(`SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin`);
    const events = await forge<{ seq: string; leaf: Buffer }>(
      `SELECT e.seq::text AS seq, ${LEAF_SQL} AS leaf FROM audit_events e
        WHERE e.tx >= $1::xid8 AND e.tx < $2::xid8 ORDER BY e.seq`,
      [head.tx_to, xmin],
    );
    expect(events.length).toBeGreaterThanOrEqual(3);
    const leaves = Buffer.concat(events.map((e) => e.leaf));
    const seqs = events.map((e) => e.seq);
    const forged = {
      seal_no: String(Number(head.seal_no) + 1),
      sealed_at: new Date(),
      tx_from: head.tx_to,
      tx_to: xmin,
      event_count: events.length,
      total_events: String(Number(head.total_events) + events.length),
      first_seq: seqs[0],
      last_seq: seqs[seqs.length - 1],
      seqs,
      leaves,
      merkle_root: merkleRoot(leaves),
      prev_hash: head.hash,
      key_id: head.key_id,
    };
    const hash = sealHash(forged, seqsHashOf(seqs));
    await forge(INSERT_SEAL, sealParameters(forged, hash, sign(null, hash, foreignKey)));
    await forge('COMMIT');
    const forgedNo = Number(forged.seal_no);

    // The sealer passes over it, says so, and seals the same events under the real key.
    const sealer = t.app.get(AuditSealer);
    expect(await sealer.sealOnce()).toEqual({ sealNo: forgedNo + 1, eventCount: events.length });
    expect(await forgedSealsReported()).toBe(1);
    const [resealed] = await forge<{ seqs: string[]; prev_hash: Buffer }>(
      `SELECT seqs::text[] AS seqs, prev_hash FROM audit_seals WHERE seal_no = $1`,
      [forgedNo + 1],
    );
    expect(resealed.seqs).toEqual(events.map((e) => e.seq));
    expect(resealed.prev_hash.equals(head.hash)).toBe(true);

    // And goes on sealing; the forged seal is reported once.
    await me();
    await sealWritten(t);
    expect(await forgedSealsReported()).toBe(1);
    const checkpoint = await request(t.server).get('/api/v1/audit/checkpoints/latest').set(bearer(auditor.accessToken));
    expect(checkpoint.body.sealedThrough).toBe(forgedNo + 2);

    const res = await verify();
    expect(res.body).toEqual({
      ok: false,
      checkedEvents: Number(head.total_events),
      sealedThrough: Number(head.seal_no),
      firstBadSeq: Number(events[0].seq),
      problem: 'signature',
      findings: [{ problem: 'signature', seq: Number(events[0].seq), sealNo: forgedNo }],
    });
    const withCheckpoint = await request(t.server)
      .post('/api/v1/audit/verify')
      .set(bearer(auditor.accessToken))
      .send({ checkpoint: checkpoint.body });
    expect(withCheckpoint.body.findings).toEqual(res.body.findings);
  });
});

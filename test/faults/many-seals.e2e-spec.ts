import { AuditLog, AuditSealer, AuditVerifier, RequestAudit } from '@app/audit';
import { sealCoverage } from '../support/faults';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * Found by the many-instances fault test: once there were ten seals, the
 * sealer took seal 9 for the latest (the seal number was sorted as text) and
 * every worker failed on every attempt to write "seal 10" again, so nothing
 * more was ever sealed; the verifier read the chain in the same wrong order.
 */
describe('a log with more than nine seals', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ AUDIT_MAX_EVENTS_PER_SEAL: '2' });
  });

  afterAll(async () => {
    await t.close();
  });

  it('keeps sealing past seal 9, chains in number order, verifies and checkpoints the real head', async () => {
    const log = t.app.get(AuditLog);
    const sealer = t.app.get(AuditSealer);
    for (let i = 0; i < 25; i++) await log.record(RequestAudit.system('test.event').toEvent('allowed', null));
    let seals = 0;
    while (await sealer.sealOnce()) seals += 1;
    expect(seals).toBeGreaterThanOrEqual(12);

    const [{ through }] = await t.dataSource.query(`SELECT max(seq)::int AS through FROM audit_events`);
    expect(await sealCoverage(t.dataSource, through)).toMatchObject({
      seals,
      sealedTwice: [],
      unsealed: [],
      dangling: [],
      misplaced: [],
      chainBreaks: [],
    });
    expect(await t.app.get(AuditVerifier).verify()).toMatchObject({
      ok: true,
      sealedThrough: seals,
      problem: null,
    });
    expect(await sealer.latestCheckpoint()).toMatchObject({ sealedThrough: seals });
  });
});

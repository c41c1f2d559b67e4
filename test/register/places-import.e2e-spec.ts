import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import * as path from 'node:path';
import { sharedKeys } from '../support/key-files';
import { buildDist, runCli } from '../support/processes';
import { registerPerson } from '../support/register';
import { startTestApp, type TestApp } from '../support/test-app';

/** `places:import` as operators run it: the compiled CLI on a file. */
describe('npm run cli -- places:import FILE', () => {
  let t: TestApp;
  let keys: Awaited<ReturnType<typeof sharedKeys>>;
  let folder: string;

  beforeAll(async () => {
    buildDist();
    keys = await sharedKeys();
    t = await startTestApp(keys.env);
    folder = await mkdtemp(path.join(tmpdir(), 'places-'));
  }, 180_000);

  afterAll(async () => {
    await t.close();
    await keys.remove();
    await rm(folder, { recursive: true, force: true });
  });

  async function importFile(name: string, text: string) {
    const file = path.join(folder, name);
    await writeFile(file, text);
    const [{ top }] = await t.dataSource.query(`SELECT coalesce(max(seq), 0)::text AS top FROM audit_events`);
    const run = runCli(['places:import', file], { ...keys.env, DATABASE_URL: t.database.url });
    const events = await t.dataSource.query(
      `SELECT action, outcome, actor_username, resource_type, result_count, details
         FROM audit_events WHERE seq > $1::bigint ORDER BY seq`,
      [top],
    );
    return { status: run.status, stdout: run.stdout, stderr: run.stderr, events };
  }

  const HEADER = 'external_id,kind,name,address,latitude,longitude';

  it('refuses a file that lacks a column as a whole: exit 1, nothing imported, one error event', async () => {
    const run = await importFile('no-columns.csv', 'external_id,kind,name\nCLI-0,school,Škola\n');
    expect(run).toMatchObject({ status: 1, stdout: '' });
    expect(run.stderr).toBe(
      'Failed: Some fields are not valid. file the header lacks the columns address, latitude, longitude\n',
    );
    expect(run.events).toEqual([
      expect.objectContaining({ action: 'places.import', outcome: 'error', resource_type: 'place' }),
    ]);
    expect(await t.dataSource.query(`SELECT id FROM places`)).toEqual([]);
  });

  it('imports the good rows, names each refused one with its line, exits 2, and is idempotent', async () => {
    const text = [
      HEADER,
      'CLI-1,school,OŠ "Njegoš",Cara Dušana 1,43.32,21.90',
      'CLI-2,zoo,Zoološki vrt,Kalemegdan,44.82,20.45',
      'CLI-3,playground,Igralište,Park bb,-91,20.45',
    ].join('\n');
    const first = await importFile('places.csv', text);
    expect(first.status).toBe(2);
    expect(JSON.parse(first.stdout)).toEqual({ created: 1, updated: 0, unchanged: 0, refused: 2 });
    expect(first.stderr).toBe(
      'line 3 (CLI-2): kind must be one of: kindergarten, school, playground, sports_club, other\n' +
        'line 4 (CLI-3): latitude must not be less than -90\n',
    );
    expect(first.events).toEqual([
      {
        action: 'places.import',
        outcome: 'allowed',
        actor_username: `cli:${userInfo().username}`,
        resource_type: 'place',
        result_count: 1,
        details: { created: 1, updated: 0, unchanged: 0, refused: 2 },
      },
    ]);
    const again = await importFile('places.csv', text);
    expect(JSON.parse(again.stdout)).toEqual({ created: 0, updated: 0, unchanged: 1, refused: 2 });
    const [{ count }] = await t.dataSource.query(
      `SELECT count(*)::int AS count FROM reference_history WHERE kind = 'place'`,
    );
    expect(count).toBe(1);

    const clean = await importFile('clean.csv', `${HEADER}\nCLI-1,school,OŠ Njegoš,Cara Dušana 1,43.32,21.90\n`);
    expect(clean).toMatchObject({ status: 0, stderr: '' });
    expect(JSON.parse(clean.stdout)).toEqual({ created: 0, updated: 1, unchanged: 0, refused: 0 });
  });

  it('proximity:rebuild recomputes the pairs at PROXIMITY_MAX_METRES, which becomes their reach', async () => {
    const person = await registerPerson(t, { surname: 'Blizu' });
    await t.dataSource.query(
      `INSERT INTO addresses (person_id, kind, street, city, postal_code, police_administration, valid_from,
                              latitude, longitude)
       VALUES ($1, 'permanent', 'Cara Dušana 2', 'Niš', '18000', 'PU-NIS', '2026-01-01', 43.3205, 21.9)`,
      [person.id],
    );
    const [{ top }] = await t.dataSource.query(`SELECT coalesce(max(seq), 0)::text AS top FROM audit_events`);
    const run = runCli(['proximity:rebuild'], {
      ...keys.env,
      DATABASE_URL: t.database.url,
      PROXIMITY_MAX_METRES: '700',
    });
    expect(run).toMatchObject({ status: 0, stderr: '' });
    expect(JSON.parse(run.stdout)).toEqual({ metres: 700, pairs: 1 });
    expect(await t.dataSource.query(`SELECT metres FROM register_proximity_reach`)).toEqual([{ metres: 700 }]);
    expect(await t.dataSource.query(`SELECT person_id, round(distance)::int AS m FROM location_place_pairs`)).toEqual([
      { person_id: person.id, m: 56 },
    ]);
    const events = await t.dataSource.query(
      `SELECT action, outcome, actor_username, resource_type, result_count, details
         FROM audit_events WHERE seq > $1::bigint ORDER BY seq`,
      [top],
    );
    expect(events).toEqual([
      {
        action: 'proximity.rebuild',
        outcome: 'allowed',
        actor_username: `cli:${userInfo().username}`,
        resource_type: 'place',
        result_count: 1,
        details: { metres: 700, pairs: 1 },
      },
    ]);
  });
});

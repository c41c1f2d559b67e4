import fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { eventsOf, rid } from '../support/audit';
import { signedIn, type TestAccount, type Tokens } from '../support/identity';
import { RawClient, type RawResponse } from '../support/raw-http';
import { insertRecords, PNG_BYTES, type Records } from '../support/records';
import { REASON } from '../support/register';
import { describeExchange, unsafeAnswer } from '../support/safe-answer';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * Hardening, "Attacks" 7: path traversal, over-long and NUL-bearing ids in
 * the photo routes and every other id parameter are refused with a 400 or
 * 404 problem, never a 500, and never lead to a file being read: photos live
 * in the database, and nothing under the api opens a file named by a client.
 */

/** What a file read would have put in the answer. */
const FILE_CONTENT = /root:.*:0:0:|\[fonts\]|"dependencies"|BEGIN [A-Z ]*PRIVATE KEY|DATABASE_URL|"password"\s*:/;

/**
 * Every file the process opens (or stats) while `work` runs that a client
 * may have steered it to: outside the project, a system file, or a name
 * with a NUL. (A file of the docs' own folder whose name merely contains
 * `..%2F` literally is no traversal.) The libraries that serve files (send,
 * @fastify/static) reach them through node:fs, whose functions are wrapped
 * for the duration.
 */
async function filesOpenedDuring(work: () => Promise<void>): Promise<string[]> {
  const project = path.resolve('.') + path.sep;
  const opened: string[] = [];
  const note = (file: unknown): void => {
    if (typeof file === 'number') return; // a descriptor already open
    const name = Buffer.isBuffer(file) ? file.toString('latin1') : file instanceof URL ? file.pathname : String(file);
    const resolved = path.resolve(name);
    if (name.includes('\0') || !resolved.startsWith(project) || /[/\\](passwd|shadow|win\.ini)$/.test(resolved)) {
      opened.push(name);
    }
  };
  const target = fs as unknown as Record<string, (...args: unknown[]) => unknown>;
  const promises = fs.promises as unknown as Record<string, (...args: unknown[]) => unknown>;
  const patched: [Record<string, (...args: unknown[]) => unknown>, string][] = [
    [target, 'open'],
    [target, 'openSync'],
    [target, 'readFile'],
    [target, 'readFileSync'],
    [target, 'createReadStream'],
    [target, 'stat'],
    [target, 'statSync'],
    [promises, 'open'],
    [promises, 'readFile'],
    [promises, 'stat'],
  ];
  const originals = patched.map(([object, name]) => object[name]);
  patched.forEach(([object, name], i) => {
    object[name] = function (this: unknown, ...args: unknown[]) {
      note(args[0]);
      return originals[i].apply(this, args);
    };
  });
  try {
    await work();
  } finally {
    patched.forEach(([object, name], i) => {
      object[name] = originals[i];
    });
  }
  return opened;
}

describe('attacks: photo and id parameters', () => {
  let t: TestApp;
  let client: RawClient;
  let clerk: TestAccount & Tokens;
  let officerNis: TestAccount & Tokens;
  let officerBg: TestAccount & Tokens;
  let records: Records;
  let other: Records;

  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_MAX: '1000000', VETTING_VERIFY_PER_MINUTE: '1000000' });
    client = await RawClient.start(t.server);
    clerk = await signedIn(t, 'registry_clerk');
    officerNis = await signedIn(t, 'police_officer', 'PU-NIS');
    officerBg = await signedIn(t, 'police_officer', 'PU-BEOGRAD');
    records = await insertRecords(t, clerk.user.id);
    other = await insertRecords(t, clerk.user.id);
  });

  afterAll(async () => {
    await client?.close();
    await t?.close();
  });

  const as = (account: Tokens, requestId: string) => ({
    authorization: `Bearer ${account.accessToken}`,
    ...REASON,
    'x-request-id': requestId,
  });

  /** Raw paths (sent byte for byte) that name no photo of any person. */
  const photoProbes = (): [string, string][] => {
    const p = records.personId;
    const photo = records.photoId;
    return [
      ['person id traversal', '/api/v1/persons/..%2F..%2Fetc/photos/x'],
      ['person id traversal to passwd', `/api/v1/persons/..%2F..%2F..%2F..%2Fetc%2Fpasswd/photos/${photo}`],
      ['photo id traversal', `/api/v1/persons/${p}/photos/..%2F..%2F..%2F..%2Fetc%2Fpasswd`],
      [
        'photo id traversal, double encoded',
        `/api/v1/persons/${p}/photos/%252e%252e%252f%252e%252e%252fetc%252fpasswd`,
      ],
      ['photo id traversal, encoded dots', `/api/v1/persons/${p}/photos/%2e%2e%2f%2e%2e%2fetc%2fpasswd`],
      ['photo id traversal, overlong UTF-8', `/api/v1/persons/${p}/photos/%C0%AE%C0%AE%C0%AFetc%C0%AFpasswd`],
      ['photo id traversal, backslashes', `/api/v1/persons/${p}/photos/..%5C..%5C..%5Cwindows%5Cwin.ini`],
      ['photo id traversal, raw segments', `/api/v1/persons/${p}/photos/../../../../etc/passwd`],
      ['photo id as a file URL', `/api/v1/persons/${p}/photos/file:%2F%2F%2Fetc%2Fpasswd`],
      ['photo id as an absolute path', `/api/v1/persons/${p}/photos/%2Fetc%2Fpasswd`],
      ['photo id of 10,000 characters', `/api/v1/persons/${p}/photos/${'a'.repeat(10_000)}`],
      ['photo id of 10,000 characters after a real id', `/api/v1/persons/${p}/photos/${photo}${'0'.repeat(10_000)}`],
      ['person id of 10,000 characters', `/api/v1/persons/${'1'.repeat(10_000)}/photos/${photo}`],
      ['photo id with a NUL after it', `/api/v1/persons/${p}/photos/${photo}%00`],
      ['photo id with a NUL and an extension', `/api/v1/persons/${p}/photos/${photo}%00.png`],
      ['photo id with a NUL before it', `/api/v1/persons/${p}/photos/%00${photo}`],
      ['photo id that is a NUL', `/api/v1/persons/${p}/photos/%00`],
      ['person id with a NUL', `/api/v1/persons/${p}%00/photos/${photo}`],
      ['photo id with an extension', `/api/v1/persons/${p}/photos/${photo}.png`],
      ['photo id with a trailing slash and more', `/api/v1/persons/${p}/photos/${photo}/..%2F..%2F`],
      ['photo id in braces', `/api/v1/persons/${p}/photos/%7B${photo}%7D`],
      ['photo id, bad percent-encoding', `/api/v1/persons/${p}/photos/%ZZ`],
      ['photo id, truncated percent-encoding', `/api/v1/persons/${p}/photos/${photo}%E0%A4%A`],
      ['photo id, a lone surrogate in UTF-8', `/api/v1/persons/${p}/photos/%ED%A0%80`],
      ['photo id of another person', `/api/v1/persons/${p}/photos/${other.photoId}`],
      [
        'photo id under a person that does not exist',
        `/api/v1/persons/00000000-0000-4000-8000-000000000000/photos/${photo}`,
      ],
      ['photo id that is a person id', `/api/v1/persons/${p}/photos/${p}`],
    ];
  };

  it('refuses every traversal, over-long, NUL-bearing or foreign photo id with a 400 or 404 problem, opening no file', async () => {
    const wrong: string[] = [];
    const opened = await filesOpenedDuring(async () => {
      for (const [name, probe] of photoProbes()) {
        const requestId = rid('photo-probe');
        const sent = { method: 'GET', path: probe, headers: as(clerk, requestId) };
        const res = await client.send(sent);
        const problems = [...unsafeAnswer(res)];
        if (![400, 404].includes(res.status)) problems.push(`status ${res.status}`);
        const type = (res.json as { type?: string } | undefined)?.type;
        if (!/^urn:register:problem:(validation|not_found)$/.test(type ?? '')) problems.push(`type ${type}`);
        if (/^image\//.test(res.headers['content-type'] ?? '')) problems.push('an image');
        if (res.raw.includes(PNG_BYTES.subarray(0, 8))) problems.push('image bytes');
        if (FILE_CONTENT.test(res.text)) problems.push('file content');
        if (problems.length > 0) wrong.push(`${name}: ${problems.join('; ')}\n  ${describeExchange(sent, res)}`);
      }
    });
    expect(wrong).toEqual([]);
    expect(opened).toEqual([]);
  });

  it('audits each refused probe exactly once, with its request id', async () => {
    const refusals: string[] = [];
    for (const [name, probe] of photoProbes()) {
      const requestId = rid('photo-audit');
      const res = await client.send({ method: 'GET', path: probe, headers: as(clerk, requestId) });
      // Every probe is under /api/v1 as sent (nothing normalises `..`), refusals included.
      const events = await eventsOf(t, requestId);
      if (events.length !== 1 || events[0].http_status !== res.status || events[0].outcome === 'allowed') {
        refusals.push(
          `${name}: ${events.length} events, ${JSON.stringify(events.map((e) => [e.http_status, e.outcome]))}`,
        );
      }
    }
    expect(refusals).toEqual([]);
  });

  it('answers a request line too long for the HTTP parser (an id of 20,000 characters) with a problem too', async () => {
    for (const probe of [
      `/api/v1/persons/${records.personId}/photos/${'a'.repeat(20_000)}`,
      `/api/v1/persons/${'..%2F'.repeat(4_000)}etc%2Fpasswd/photos/x`,
    ]) {
      const res = await client.send({ method: 'GET', path: probe, headers: as(clerk, rid('huge')) });
      expect(res.status).toBe(431);
      expect(unsafeAnswer(res)).toEqual([]);
      expect(res.json).toMatchObject({ type: 'urn:register:problem:validation', status: 431 });
      expect(res.headers['x-request-id']).toBeDefined();
    }
  });

  it('still serves the real photo to those who may see it, and to nobody else', async () => {
    const url = `/api/v1/persons/${records.personId}/photos/${records.photoId}`;
    const ok = await client.send({ method: 'GET', path: url, headers: as(clerk, rid('photo-ok')) });
    expect(ok.status).toBe(200);
    expect(ok.headers['content-type']).toBe('image/png');
    expect(ok.headers['cache-control']).toBe('no-store');
    expect(Buffer.compare(ok.raw, PNG_BYTES)).toBe(0);
    expect((await client.send({ method: 'GET', path: url, headers: as(officerNis, rid('photo-nis')) })).status).toBe(
      200,
    );
    // Out of region: 404, as if it did not exist.
    const outside = await client.send({ method: 'GET', path: url, headers: as(officerBg, rid('photo-bg')) });
    expect(outside.status).toBe(404);
    expect(outside.raw.includes(PNG_BYTES.subarray(0, 8))).toBe(false);
  });

  it('gives every id parameter of every route the same treatment: traversal, 10,000 characters, NUL', async () => {
    const p = records.personId;
    const parts: [string, string][] = [
      ['addresses', records.addressId],
      ['convictions', records.convictionId],
      ['measures', records.measureId],
      ['workplaces', records.workplaceId],
      ['breaches', records.breachId],
      ['counselling', records.counsellingId],
    ];
    const bad = ['..%2F..%2Fetc%2Fpasswd', 'x'.repeat(10_000), `${records.addressId}%00`, '%00', '%ZZ'];
    const probes: { method: string; path: string; body?: string; headers?: Record<string, string> }[] = [];
    for (const value of bad) {
      probes.push({ method: 'GET', path: `/api/v1/persons/${value}` });
      probes.push({ method: 'GET', path: `/api/v1/persons/${value}/history` });
      probes.push({ method: 'GET', path: `/api/v1/users/${value}` });
      probes.push({ method: 'POST', path: `/api/v1/users/${value}/reset-password` });
      probes.push({ method: 'POST', path: `/api/v1/alerts/${value}/acknowledge` });
      probes.push({ method: 'POST', path: `/api/v1/inbox/${value}/read` });
      probes.push({ method: 'POST', path: `/api/v1/audit/events/${value}/review`, body: '{"note":"x"}' });
      probes.push({ method: 'POST', path: `/api/v1/persons/${p}/check-ins/${value}/void` });
      probes.push({ method: 'POST', path: `/api/v1/persons/${p}/notifications/${value}/void` });
      probes.push({ method: 'POST', path: `/api/v1/persons/${p}/breaches/${value}/void` });
      probes.push({ method: 'POST', path: `/api/v1/persons/${p}/counselling/${value}/void` });
      for (const [part] of parts) {
        probes.push({
          method: 'PATCH',
          path: `/api/v1/persons/${p}/${part}/${value}`,
          body: '{}',
          headers: { 'if-match': '"1"' },
        });
      }
    }
    const wrong: string[] = [];
    const opened = await filesOpenedDuring(async () => {
      for (const probe of probes) {
        const sent = {
          ...probe,
          headers: {
            ...as(clerk, rid('id-probe')),
            ...(probe.body ? { 'content-type': 'application/json' } : {}),
            ...probe.headers,
          },
        };
        const res: RawResponse = await client.send(sent);
        const problems = unsafeAnswer(res);
        // 403 where the clerk may not use the route at all (users, audit): the role comes before the path.
        if (![400, 403, 404].includes(res.status)) problems.push(`status ${res.status}`);
        if (FILE_CONTENT.test(res.text)) problems.push('file content');
        if (problems.length > 0) wrong.push(`${problems.join('; ')}\n  ${describeExchange(sent, res)}`);
      }
    });
    expect(wrong).toEqual([]);
    expect(opened).toEqual([]);
  });

  it('stores an upload whose file name climbs out of any folder without writing or reading a file of that name', async () => {
    const planted = path.join(tmpdir(), `register-attack-${process.pid}.png`);
    const filename = `../../../../../../${planted.replace(/^\//, '')}`;
    const body = Buffer.concat([
      Buffer.from(
        `------x\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\n` +
          'Content-Type: image/png\r\n\r\n',
      ),
      PNG_BYTES,
      Buffer.from('\r\n------x--\r\n'),
    ]);
    let res: RawResponse | undefined;
    const opened = await filesOpenedDuring(async () => {
      res = await client.send({
        method: 'POST',
        path: `/api/v1/persons/${records.personId}/photos`,
        headers: { ...as(clerk, rid('upload')), 'content-type': 'multipart/form-data; boundary=----x' },
        body,
      });
    });
    expect(res?.status).toBe(201);
    expect(res?.text).not.toContain('register-attack');
    expect(fs.existsSync(planted)).toBe(false);
    expect(opened).toEqual([]);
  });

  it('serves no file outside the API docs through the docs or any other static path', async () => {
    const wrong: string[] = [];
    const opened = await filesOpenedDuring(async () => {
      for (const probe of [
        '/api/docs/..%2F..%2F..%2F..%2F..%2Fetc%2Fpasswd',
        '/api/docs/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
        '/api/docs/../../../../etc/passwd',
        '/api/docs/..%2F..%2F..%2Fpackage.json',
        '/api/docs/..%5C..%5C..%5Cpackage.json',
        '/api/docs/%2e%2e%2f%2e%2e%2f%2e%2e%2fpackage.json',
        '/api/docs/swagger-ui.css%00.js',
        '/console/..%2F..%2F..%2Fetc%2Fpasswd',
        '/..%2F..%2F..%2Fetc%2Fpasswd',
        '/%2e%2e/%2e%2e/etc/passwd',
        '/.well-known/..%2F..%2Fpackage.json',
        '/health/..%2F..%2Fpackage.json',
      ]) {
        const sent = { method: 'GET', path: probe };
        const res = await client.send(sent);
        const problems = unsafeAnswer(res);
        if (res.status < 400) problems.push(`status ${res.status}`);
        if (FILE_CONTENT.test(res.text)) problems.push('file content');
        if (problems.length > 0) wrong.push(`${problems.join('; ')}\n  ${describeExchange(sent, res)}`);
      }
    });
    expect(wrong).toEqual([]);
    expect(opened).toEqual([]);
  });
});

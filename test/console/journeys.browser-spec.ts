import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { generateSync } from 'otplib';
import { type Browser, chromium, type Page } from 'playwright-core';
import { addDays, belgradeToday } from '@app/common';
import { sharedKeys } from '../support/key-files';
import { type Answer, call, ROOT, runCli, type ServiceProcess, startApi, stopAll } from '../support/processes';
import { nextJmbg } from '../support/register';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

/**
 * The console's journeys in Debian's Chromium (headless) against the built
 * api on a database of its own, one or more for every role: a clerk records
 * a person end to end and a release, an officer works the morning view, an
 * auditor signs in with a second factor and reviews the log, an admin opens
 * an account that a second admin confirms, a judicial officer reads a person
 * and takes the case file, a vetting officer answers an employer. Every page
 * visited is checked with axe-core and photographed at 1280 px into
 * test/console/artifacts/.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = path.join(ROOT, 'test', 'console', 'artifacts');
const PNG_1X1 = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

/** A one-page PDF, small but real: the api knows the form by its content. */
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj ' +
    '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 10 10]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);

interface Account {
  username: string;
  password: string;
}

let database: TestDatabase;
let keys: Awaited<ReturnType<typeof sharedKeys>>;
/** The api's and the CLI's environment: the database and the keys they share. */
const env = (): Record<string, string> => ({ DATABASE_URL: database.url, ...keys.env });
let api: ServiceProcess;
let browser: Browser;
const accounts: Record<'clerk' | 'officer' | 'auditor' | 'admin' | 'admin2' | 'judge' | 'vetting', Account> = {
  clerk: { username: 'e2e.clerk', password: 'Console-clerk-pass-2026' },
  officer: { username: 'e2e.officer.bg', password: 'Console-officer-pass-2026' },
  auditor: { username: 'e2e.auditor', password: 'Console-auditor-pass-2026' },
  admin: { username: 'e2e.admin', password: 'Console-admin-pass-2026' },
  admin2: { username: 'e2e.admin.two', password: 'Console-second-admin-2026' },
  judge: { username: 'demo.judge', password: 'Console-judge-pass-2026' },
  vetting: { username: 'e2e.vetting', password: 'Console-vetting-pass-2026' },
};
let overduePerson = { id: '', measureId: '', surname: 'Marković', jmbg: nextJmbg('M', '0101985') };

function createUser(account: Account, role: string, region?: string): void {
  const args = ['user:create', '--username', account.username, '--role', role, '--organisation', 'Test'];
  args.push('--display-name', account.username, '--password-stdin', ...(region ? ['--region', region] : []));
  const run = runCli(args, env(), `${account.password}\n`);
  if (run.status !== 0) throw new Error(`user:create failed: ${run.stderr}${run.stdout}`);
}

/** The clerk's access token, signed in through the api (the seeds are the clerk's). */
async function clerkToken(): Promise<string> {
  const login = await call(api.url, 'POST', '/api/v1/auth/login', { body: accounts.clerk });
  if (login.status !== 200) throw new Error(`clerk login: ${login.status} ${JSON.stringify(login.body)}`);
  return login.body.accessToken as string;
}

/**
 * A record the journeys start from, made through the api with the clerk's
 * token and a reason. Sent with an Idempotency-Key, so a request lost with
 * its connection (a kept-alive socket the api closed meanwhile) is sent once
 * more without making two.
 */
async function seed(token: string, pathAndQuery: string, body: unknown): Promise<Answer> {
  const headers = { 'idempotency-key': randomUUID() };
  let answer = await call(api.url, 'POST', pathAndQuery, { token, reason: true, body, headers });
  for (let retry = 0; answer.status === 0 && retry < 2; retry += 1) {
    answer = await call(api.url, 'POST', pathAndQuery, { token, reason: true, body, headers });
  }
  return answer;
}

/**
 * The Belgrade calendar day `days` before today, as the service counts days: the UTC date is the day before
 * from midnight to 01:00 (02:00 in summer) in Belgrade, and lists that start today would leave it out.
 */
function isoDaysAgo(days: number): string {
  return addDays(belgradeToday(), -days);
}

/** A person in PU-BEOGRAD whose monthly reporting started 95 days ago with no check-in: overdue, with an alert. */
async function seedOverduePerson(token: string): Promise<void> {
  const person = await seed(token, '/api/v1/persons', {
    surname: overduePerson.surname,
    givenNames: 'Nikola',
    jmbg: overduePerson.jmbg,
    dateOfBirth: '1985-01-01',
    placeOfBirth: 'Beograd',
    sex: 'M',
    citizenship: 'RS',
  });
  if (person.status !== 201)
    throw new Error(`person: ${person.status} ${person.error ?? ''} ${JSON.stringify(person.body)}`);
  overduePerson = { ...overduePerson, id: person.body.id };
  const conviction = await seed(token, `/api/v1/persons/${person.body.id}/convictions`, {
    court: 'Viši sud u Beogradu',
    caseNumber: 'K 7/2019',
    judgmentDate: '2019-02-01',
    finalityDate: '2019-04-01',
    offences: [{ article: '180' }],
    victimAge: 'child',
    sentence: { kind: 'imprisonment', months: 60 },
    releaseDate: '2024-06-01',
  });
  if (conviction.status !== 201) throw new Error(`conviction: ${JSON.stringify(conviction.body)}`);
  const measure = await seed(token, `/api/v1/persons/${person.body.id}/measures`, {
    type: 'periodic_reporting',
    startsOn: isoDaysAgo(95),
    endsOn: '2034-06-01',
    reportTo: 'PU-BEOGRAD',
  });
  if (measure.status !== 201) throw new Error(`measure: ${JSON.stringify(measure.body)}`);
  overduePerson = { ...overduePerson, measureId: measure.body.id };
  const scan = runCli(['compliance:scan'], env());
  if (scan.status !== 0) throw new Error(`scan failed: ${scan.stderr}`);
}

/**
 * A breach of the overdue person's reporting, recorded by mistake (it raises
 * an alert, so it is seeded by the journey that voids it, after the others).
 */
async function seedBreach(token: string): Promise<string> {
  const breach = await seed(token, `/api/v1/persons/${overduePerson.id}/breaches`, {
    measureId: overduePerson.measureId,
    occurredAt: `${isoDaysAgo(2)}T16:30:00+01:00`,
    description: 'Zatečen ispred osnovne škole.',
  });
  if (breach.status !== 201) throw new Error(`breach: ${breach.status} ${JSON.stringify(breach.body)}`);
  return breach.body.id as string;
}

let prisoner = { id: '', surname: 'Zatvorenić' };

function isoDaysAhead(days: number): string {
  return isoDaysAgo(-days);
}

/** A prisoner to live in PU-BEOGRAD, expected out in five days, with a measure binding from then, duties not explained. */
async function seedPrisoner(token: string): Promise<void> {
  const person = await seed(token, '/api/v1/persons', {
    surname: prisoner.surname,
    givenNames: 'Stevan',
    jmbg: nextJmbg('M', '0101982'),
    dateOfBirth: '1982-01-01',
    placeOfBirth: 'Beograd',
    sex: 'M',
    citizenship: 'RS',
  });
  if (person.status !== 201)
    throw new Error(`person: ${person.status} ${person.error ?? ''} ${JSON.stringify(person.body)}`);
  prisoner = { ...prisoner, id: person.body.id };
  const steps: [string, unknown][] = [
    [
      'addresses',
      {
        kind: 'permanent',
        street: 'Cara Dušana 5',
        city: 'Beograd',
        postalCode: '11000',
        policeAdministration: 'PU-BEOGRAD',
        validFrom: isoDaysAgo(400),
      },
    ],
    [
      'convictions',
      {
        court: 'Viši sud u Beogradu',
        caseNumber: 'K 44/2021',
        judgmentDate: '2021-02-01',
        finalityDate: '2021-04-01',
        offences: [{ article: '180' }],
        victimAge: 'child',
        sentence: { kind: 'imprisonment', months: 68 },
        releaseDate: isoDaysAhead(5),
      },
    ],
    ['measures', { type: 'notify_changes', startsOn: isoDaysAhead(5), endsOn: isoDaysAhead(3650) }],
  ];
  for (const [part, body] of steps) {
    const answer = await seed(token, `/api/v1/persons/${person.body.id}/${part}`, body);
    if (answer.status !== 201) throw new Error(`${part}: ${JSON.stringify(answer.body)}`);
  }
}

const AXE = readFileSync(path.join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

/**
 * Checks the page as it stands with axe-core (WCAG 2.1 A and AA): no serious
 * or critical violation. Evaluated through the browser's debugging protocol,
 * which the page's CSP does not govern.
 */
async function expectAccessible(page: Page, where: string): Promise<void> {
  await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run: (options: object) => Promise<{ violations: unknown[] }> } })
      .axe;
    const result = await axe.run({ runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] });
    return (result.violations as { id: string; impact: string; nodes: { target: string[] }[] }[]).map((v) => ({
      id: v.id,
      impact: v.impact,
      targets: v.nodes.map((n) => n.target.join(' ')).slice(0, 3),
    }));
  });
  expect({ where, violations: violations.filter((v) => v.impact === 'serious' || v.impact === 'critical') }).toEqual({
    where,
    violations: [],
  });
}

/** A screenshot of the whole page at 1280 px wide (a narrower journey is widened for it, then narrowed again). */
async function shot(page: Page, name: string): Promise<void> {
  const file = path.join(ARTIFACTS, `${name}.png`);
  const viewport = page.viewportSize();
  if (viewport && viewport.width !== 1280) await page.setViewportSize({ width: 1280, height: viewport.height });
  await page.screenshot({ path: file, fullPage: true });
  if (viewport && viewport.width !== 1280) await page.setViewportSize(viewport);
  process.stdout.write(`screenshot: ${file}\n`);
}

/** A page as the journey reaches it: checked with axe, and photographed. */
async function look(page: Page, name: string): Promise<void> {
  await expectAccessible(page, name);
  await shot(page, name);
}

async function signIn(page: Page, account: Account, otp?: () => string): Promise<void> {
  await page.goto(`${api.url}/console`);
  await page.getByLabel('Korisničko ime', { exact: true }).fill(account.username);
  await page.getByLabel('Lozinka', { exact: true }).fill(account.password);
  await page.getByRole('button', { name: 'Prijava' }).click();
  if (otp) {
    await page.getByLabel('Kod iz aplikacije za autentifikaciju').fill(otp());
    await page.getByRole('button', { name: 'Nastavi' }).click();
  }
  // Signed in: the console's shell, or (a role that needs a second factor, not enrolled yet) the enrolment prompt.
  await page
    .getByRole('button', { name: 'Odjava' })
    .or(page.getByText('Vaša uloga zahteva drugi faktor', { exact: false }))
    .first()
    .waitFor();
}

/** The page goes on with the working case's reason, shown in its reason bar. */
async function keptReason(page: Page, reason: string): Promise<void> {
  await page.locator('.reason-bar').filter({ hasText: reason }).first().waitFor();
}

async function giveReason(page: Page, reason: string): Promise<void> {
  await page.getByLabel('Razlog', { exact: true }).fill(reason);
  await page.getByRole('button', { name: 'Nastavi' }).click();
}

/** Opens one of the person page's tabs. */
async function openTab(page: Page, name: string): Promise<void> {
  await page.getByRole('tab', { name, exact: true }).click();
  await page.getByRole('tab', { name, exact: true, selected: true }).waitFor();
}

async function newPage(width = 1280, height = 900): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height }, acceptDownloads: true });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  return page;
}

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  execFileSync('node', ['scripts/build-if-needed.mjs'], { cwd: ROOT, stdio: 'inherit' });
  database = await createTestDatabase();
  keys = await sharedKeys();
  createUser(accounts.clerk, 'registry_clerk');
  createUser(accounts.officer, 'police_officer', 'PU-BEOGRAD');
  createUser(accounts.auditor, 'auditor');
  createUser(accounts.admin, 'admin');
  createUser(accounts.admin2, 'admin');
  createUser(accounts.judge, 'judicial_officer');
  createUser(accounts.vetting, 'vetting_officer');
  // Auditors must use a second factor here: the journey enrols one and signs in with it.
  // Seeding waits for the CLI between requests: a kept-alive connection outlives a slow scan on a busy machine.
  api = await startApi({ ...env(), MFA_REQUIRED_ROLES: 'auditor', HTTP_KEEP_ALIVE_TIMEOUT_MS: '120000' });
  const token = await clerkToken();
  await seedOverduePerson(token);
  await seedPrisoner(token);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await stopAll();
  await database?.drop();
  await keys?.remove();
});

/** Where an element lies on the page, in CSS pixels. */
async function boxOf(page: Page, testId: string) {
  const box = await page.getByTestId(testId).first().boundingBox();
  if (!box) throw new Error(`${testId} is not shown`);
  return box;
}

/**
 * The person's header at the page's viewport: JMBG and date of birth whole
 * and inside the viewport, nothing wider than the page, and name, JMBG,
 * date of birth and status on one line.
 */
async function expectPersonHeaderWhole(page: Page, where: string): Promise<void> {
  const viewport = page.viewportSize()!;
  const title = (await page.locator('#person-title').boundingBox())!;
  const header = (await page.locator('.person-header').boundingBox())!;
  const facts = [];
  for (const testId of ['person-jmbg', 'person-dob', 'compliance-status']) {
    const box = await boxOf(page, testId);
    const whole = await page
      .getByTestId(testId)
      .evaluate((element) => element.scrollWidth <= element.clientWidth + 1 && element.getClientRects().length === 1);
    facts.push({
      testId,
      inside: box.x >= 0 && box.x + box.width <= viewport.width,
      whole,
      sameLine: Math.abs(box.y + box.height / 2 - (title.y + title.height / 2)) < title.height / 2,
    });
  }
  const pageWidth = await page.evaluate(
    () =>
      (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement
        .scrollWidth,
  );
  expect({ where, facts, overflow: pageWidth > viewport.width, oneLine: header.height <= title.height + 4 }).toEqual({
    where,
    facts: facts.map(({ testId }) => ({ testId, inside: true, whole: true, sameLine: true })),
    overflow: false,
    oneLine: true,
  });
}

/** Runs a journey in a fresh browser context; on failure a screenshot of where it stopped. */
async function journey(name: string, width: number, height: number, steps: (page: Page) => Promise<void>) {
  const page = await newPage(width, height);
  try {
    await steps(page);
  } catch (error) {
    await shot(page, `failed-${name}`).catch(() => undefined);
    throw error;
  } finally {
    await page.context().close();
  }
}

describe('console journeys', () => {
  it(
    'a clerk records a person end to end, with a photo',
    () =>
      journey('clerk', 1280, 900, async (page) => {
        await page.goto(`${api.url}/console`);
        await page.getByRole('button', { name: 'Prijava' }).waitFor();
        await look(page, 'sign-in');
        await signIn(page, accounts.clerk);
        await page.getByRole('link', { name: 'Novo lice' }).click();
        await page.getByLabel('Razlog', { exact: true }).waitFor();
        await look(page, 'clerk-reason');
        await giveReason(page, 'Predmet K 12/2026 – upis');
        // Citizenship is a country by its Serbian name, Serbia first offered; the api gets the code.
        const citizenship = page.getByLabel('Državljanstvo');
        await citizenship.locator('option', { hasText: 'Mađarska' }).waitFor({ state: 'attached' });
        expect(await citizenship.inputValue()).toBe('RS');
        expect(await citizenship.locator('option:checked').textContent()).toBe('Srbija');
        await look(page, 'clerk-new-person');

        await page.getByLabel('Prezime', { exact: true }).fill('Jovanović');
        await page.getByLabel('Ime', { exact: true }).fill('Đorđe');
        await page.getByLabel('Datum rođenja').fill('1990-01-01');
        await page.getByLabel('Mesto rođenja').fill('Čačak');
        await page.getByLabel('JMBG').fill('0101990360008');
        await page.getByText('Kontrolna cifra nije ispravna.').waitFor();
        const jmbg = nextJmbg('M', '0101990');
        await page.getByLabel('JMBG').fill(jmbg);
        await page.getByText('JMBG je ispravan.').waitFor();
        await page.getByRole('button', { name: 'Evidentiraj' }).click();

        await page.getByRole('heading', { name: 'Jovanović, Đorđe' }).waitFor();
        const forms = {
          address: page.getByTestId('address-form'),
          description: page.getByTestId('description-form'),
          photo: page.getByTestId('photo-form'),
          dna: page.getByTestId('dna-form'),
          conviction: page.getByTestId('conviction-form'),
          measure: page.getByTestId('measure-form'),
        };
        await openTab(page, 'Adrese');
        await forms.address.getByLabel('Ulica i broj').fill('Knez Mihailova 1');
        await forms.address.getByLabel('Mesto').fill('Beograd');
        await forms.address.getByLabel('Poštanski broj').fill('11000');
        await forms.address.getByRole('button', { name: 'Sačuvaj' }).click();
        await page.getByText('Knez Mihailova 1, 11000 Beograd (PU-BEOGRAD)').waitFor();

        await openTab(page, 'Identitet');
        await forms.description.getByLabel('Visina (cm)').fill('182');
        await forms.description.getByLabel('Boja očiju').fill('smeđa');
        await forms.description.getByLabel('Boja kose').fill('crna');
        await forms.description.getByLabel(/Posebni znaci/).fill('leva podlaktica: tetovaža sidra');
        await forms.description.getByRole('button', { name: 'Sačuvaj' }).click();
        await page.getByText(/182 cm, smeđa, crna; leva podlaktica: tetovaža sidra/).waitFor();

        await forms.photo
          .getByLabel(/Fotografija/)
          .setInputFiles({ name: 'lice.png', mimeType: 'image/png', buffer: PNG_1X1 });
        await forms.photo.getByTestId('photo-preview').waitFor();
        await forms.photo.getByRole('button', { name: 'Otpremi' }).click();
        await forms.photo.getByRole('status').waitFor();
        await page.locator('.photos img').first().waitFor();

        await forms.dna.getByLabel('Laboratorija').fill('NCKF MUP');
        await forms.dna.getByLabel('Oznaka uzorka').fill('UZ-2026-0042');
        await forms.dna.getByLabel('Referenca profila').fill('DNK-BG-77812');
        await forms.dna.getByLabel('Datum uzimanja').fill('2026-01-15');
        await forms.dna.getByRole('button', { name: 'Sačuvaj' }).click();
        await page
          .getByTestId('dna-reference')
          .getByText(/UZ-2026-0042/)
          .waitFor();

        await openTab(page, 'Presude');
        await forms.conviction.getByLabel('Sud', { exact: true }).fill('Viši sud u Beogradu');
        await forms.conviction.getByLabel('Broj predmeta').fill('K 12/2020');
        await forms.conviction.getByLabel('Datum presude').fill('2020-03-02');
        // The offence picked from the catalogue, by article and words.
        const offence = forms.conviction.getByLabel('Krivično delo (član)');
        await offence.selectOption('180');
        expect(await offence.locator('option:checked').textContent()).toMatch(/^čl\. 180 – \S+/);
        // Final before the judgment: the api says so beside the field, which takes the focus.
        const finality = forms.conviction.getByLabel('Datum pravnosnažnosti');
        await finality.fill('2020-01-04');
        await forms.conviction.getByLabel('Trajanje (meseci)').fill('48');
        await forms.conviction.getByLabel('Datum otpusta').fill('2024-05-04');
        await forms.conviction.getByRole('button', { name: 'Sačuvaj' }).click();
        await forms.conviction.getByText('ne sme biti pre datuma od kog zavisi').waitFor();
        expect(await finality.getAttribute('aria-invalid')).toBe('true');
        expect(await finality.evaluate((input) => input === input.ownerDocument.activeElement)).toBe(true);
        await forms.conviction.getByRole('alert').getByRole('link', { name: 'Datum pravnosnažnosti' }).waitFor();
        await shot(page, 'clerk-field-error');
        await expectAccessible(page, 'clerk-field-error');
        await finality.fill('2020-05-04');
        await forms.conviction.getByRole('button', { name: 'Sačuvaj' }).click();
        await page.getByText(/K 12\/2020, čl\. 180/).waitFor();

        await openTab(page, 'Mere i poštovanje');
        await forms.measure.getByLabel('Završava se').fill('2030-05-04');
        await forms.measure.getByRole('button', { name: 'Sačuvaj' }).click();
        await page
          .getByTestId('measures')
          .getByText(/Periodično javljanje/)
          .waitFor();
        // Monthly is the console's default schedule, said in words.
        await page
          .getByTestId('measures')
          .getByText(/PU-BEOGRAD: mesečno/)
          .waitFor();
        await look(page, 'clerk-person');

        await openTab(page, 'Istorija');
        await page.getByTestId('history').getByText('Predmet K 12/2026 – upis').first().waitFor();
        await page.getByRole('link', { name: 'Istorija izmena' }).click();
        await page.getByTestId('history').getByText('Predmet K 12/2026 – upis').first().waitFor();
        await look(page, 'clerk-history');
      }),
    120_000,
  );

  it(
    'an officer sees overdue persons and open alerts and records a check-in in two clicks',
    () =>
      journey('officer', 800, 1100, async (page) => {
        await signIn(page, accounts.officer);
        await giveReason(page, 'Jutarnji pregled PU Beograd');
        const row = page.getByTestId('overdue-row').filter({ hasText: overduePerson.surname });
        await row.waitFor();
        await page.getByTestId('alert-row').filter({ hasText: 'Propušteno javljanje' }).first().waitFor();
        await look(page, 'officer-morning');
        await row.getByRole('button', { name: 'Evidentiraj javljanje' }).click();
        await row.getByRole('button', { name: 'Potvrdi javljanje' }).click();
        await row.getByText('Javljanje je evidentirano.').waitFor();
        await shot(page, 'officer-checked-in');

        // An alert's own page, as the reminder e-mails link to it: read by its id, then acknowledged.
        await page.getByTestId('alert-row').first().getByRole('link', { name: 'Propušteno javljanje' }).click();
        // The same work: the morning's reason goes on, shown, not asked again.
        await keptReason(page, 'Jutarnji pregled PU Beograd');
        await page.getByText('otvoreno').waitFor();
        await page.getByRole('button', { name: 'Primi k znanju' }).click();
        await page.getByText('primljeno k znanju').waitFor();
        await look(page, 'officer-alert');

        // The person's page (a deep link: the reason is asked again) shows the check-in; a notification; the lookup.
        await page.goto(`${api.url}/console/persons/${overduePerson.id}`);
        await giveReason(page, 'Jutarnji pregled PU Beograd');
        await page.getByTestId('compliance-status').getByText('uredno').waitFor();
        // Where the check-in was made.
        await openTab(page, 'Radnje');
        await page
          .getByTestId('check-ins')
          .getByText(/Policija \(PU-BEOGRAD\) · PU-BEOGRAD/)
          .waitFor();
        // The destination picked by its Serbian name; the notice keeps the code.
        const destination = page.getByLabel('Država odredišta');
        await destination.locator('option', { hasText: 'Mađarska' }).waitFor({ state: 'attached' });
        await destination.selectOption({ label: 'Mađarska' });
        await page.getByLabel('Polazak').fill('2027-01-10');
        await page.getByLabel('Povratak').fill('2027-01-20');
        await page.getByRole('button', { name: 'Sačuvaj' }).click();
        await page.getByText(/Sačuvano\..*Na vreme/).waitFor();
        await look(page, 'officer-person');
        await page.getByRole('link', { name: 'Provera u drugim regionima' }).click();
        // Other work: the officer changes the reason.
        await keptReason(page, 'Jutarnji pregled PU Beograd');
        await page.getByRole('button', { name: 'Promeni razlog' }).click();
        await giveReason(page, 'Provera poslodavca 3/2026');
        await page.getByLabel('JMBG').fill('0101900350008');
        await page.getByRole('button', { name: 'Proveri' }).click();
        await page.getByText('Nije upisano u evidenciju').waitFor();
        await look(page, 'officer-lookup');
      }),
    120_000,
  );

  it(
    'an auditor enrols a second factor, searches events, sees verification and exports',
    () =>
      journey('auditor', 1280, 900, async (page) => {
        await signIn(page, accounts.auditor);
        // The role needs a second factor: enrol, activate with a code, sign in again with the next one.
        await look(page, 'auditor-mfa-required');
        await page.getByRole('button', { name: 'Nastavi' }).click();
        const secret = (await page.getByTestId('mfa-secret').textContent()) ?? '';
        await look(page, 'auditor-mfa-enrol');
        // The key is offered as a QR code of the otpauth address too.
        const qr = page.getByRole('img', { name: 'QR kod za aplikaciju za autentifikaciju' });
        expect(await qr.getAttribute('src')).toMatch(/^data:image\/gif;base64,/);
        expect(await qr.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth > 100)).toBe(true);
        await page.getByLabel('Kod iz aplikacije za autentifikaciju').fill(generateSync({ secret }));
        await page.getByRole('button', { name: 'Aktiviraj' }).click();
        await page.getByText('Drugi faktor je aktiviran.').waitFor();
        // The next period's code: the server takes one period either side, and each period once.
        await signIn(page, accounts.auditor, () => generateSync({ secret, epoch: Math.floor(Date.now() / 1000) + 30 }));

        await page.getByTestId('verify-status').waitFor();
        await page.getByLabel('Korisničko ime').fill(accounts.officer.username);
        await page.getByLabel('Ishod').selectOption('allowed');
        await page.getByRole('button', { name: 'Pretraga' }).click();
        const events = page.getByTestId('audit-events');
        await events.getByText('Upis javljanja').first().waitFor();
        await events.getByText('Jutarnji pregled PU Beograd').first().waitFor();

        await page.getByLabel('Korisničko ime').fill('');
        await page.getByLabel(/ID lica/).fill(overduePerson.id);
        await page.getByRole('button', { name: 'Pretraga' }).click();
        await events.getByText('Upis lica').first().waitFor();
        await look(page, 'auditor-events');

        const download = page.waitForEvent('download');
        await page.getByRole('button', { name: 'Izvoz' }).click();
        const file = await download;
        expect(file.suggestedFilename()).toMatch(/^audit-.*\.jsonl$/);
        await page.getByTestId('export-status').waitFor();
        await look(page, 'auditor-export');
      }),
    120_000,
  );
  it(
    'a clerk records a release and the acknowledgement of duties, and the release list marks it acknowledged',
    () =>
      journey('release', 1280, 1000, async (page) => {
        await signIn(page, accounts.clerk);
        await page.getByRole('link', { name: 'Otpuštanja' }).click();
        await giveReason(page, 'Priprema otpuštanja 5/2026');
        const row = page.getByTestId('release-row').filter({ hasText: prisoner.surname });
        await row.getByText('✗ NIJE POTVRĐENO').first().waitFor();
        await row.getByText('Cara Dušana 5, 11000 Beograd (PU-BEOGRAD)', { exact: false }).waitFor();
        await look(page, 'clerk-releases');

        await row.getByRole('link', { name: `${prisoner.surname}, Stevan` }).click();
        await keptReason(page, 'Priprema otpuštanja 5/2026');
        await openTab(page, 'Presude');
        const conviction = page.getByTestId('conviction').filter({ hasText: 'K 44/2021' });
        const release = conviction.getByTestId('release-form');
        await release.getByLabel('Prvi dan na slobodi').fill(isoDaysAgo(0));
        await release.getByLabel('Ustanova').fill('KPZ Beograd – Padinska Skela');
        await release.getByRole('button', { name: 'Sačuvaj' }).click();
        await conviction
          .getByTestId('actual-release')
          .getByText('KPZ Beograd – Padinska Skela', { exact: false })
          .waitFor();

        await openTab(page, 'Mere i poštovanje');
        const ack = page.getByTestId('acknowledgement-form');
        await ack.getByRole('checkbox', { name: /Obaveštavanje o promenama/ }).check();
        await ack.getByLabel('Ko je objasnio (ime i funkcija)').fill('Milan Jović, poverenik');
        await ack
          .getByLabel(/Potpisani obrazac/)
          .setInputFiles({ name: 'potvrda.pdf', mimeType: 'application/pdf', buffer: PDF });
        await ack.getByRole('button', { name: 'Otpremi' }).click();
        await page.getByTestId('acknowledgements').getByText('Milan Jović, poverenik', { exact: false }).waitFor();
        await page.getByTestId('measures').getByText('✓ potvrđeno').waitFor();
        await look(page, 'clerk-release-person');

        await page.getByRole('link', { name: 'Otpuštanja' }).click();
        const after = page.getByTestId('release-row').filter({ hasText: prisoner.surname });
        await after.getByText('otpušten (KPZ Beograd – Padinska Skela)', { exact: false }).waitFor();
        expect(await after.getByTestId('ack-mark').allTextContents()).toEqual(['✓ potvrđeno', '✓ potvrđeno']);
        await look(page, 'clerk-releases-acknowledged');
      }),
    120_000,
  );
  it(
    'an admin opens an account, a second admin confirms it, and its holder sets a password and signs in',
    () =>
      journey('admin', 1280, 1000, async (page) => {
        await signIn(page, accounts.admin);
        await page.getByRole('link', { name: 'Korisnički nalozi' }).click();
        await giveReason(page, 'Zahtev UIKS 14/2026 – novi nalog');
        await page.getByRole('cell', { name: accounts.judge.username, exact: true }).first().waitFor();
        await look(page, 'admin-users');

        const form = page.getByRole('region', { name: 'Novi nalog' });
        await form.getByLabel('Korisničko ime').fill('e2e.vetting.new');
        await form.getByLabel('Ime i prezime').fill('Jelena Novaković');
        await form.getByLabel('Organizacija').fill('UIKS, provera za poslodavce');
        await form.getByLabel('Uloga').selectOption('vetting_officer');
        // The browser takes it as an address; the api does not, and says so beside the field.
        const email = form.getByLabel('E-pošta');
        await email.fill('jelena@uiks');
        await form.getByRole('button', { name: 'Sačuvaj' }).click();
        await form.getByText('nije ispravna adresa e-pošte').waitFor();
        expect(await email.getAttribute('aria-invalid')).toBe('true');
        expect(await email.evaluate((input) => input === input.ownerDocument.activeElement)).toBe(true);
        await look(page, 'admin-field-error');
        await email.fill('jelena.novakovic@uiks.gov.rs');
        await form.getByRole('button', { name: 'Sačuvaj' }).click();
        await page.getByText('Nalog je napravljen i čeka potvrdu drugog administratora.').waitFor();
        await page.getByRole('row').filter({ hasText: 'e2e.vetting.new' }).filter({ hasText: 'neaktivan' }).waitFor();
        await look(page, 'admin-account-created');

        // The second admin confirms; the temporary password is shown once.
        await page.getByRole('button', { name: 'Odjava' }).click();
        await signIn(page, accounts.admin2);
        await page.getByRole('link', { name: 'Korisnički nalozi' }).click();
        await giveReason(page, 'Zahtev UIKS 14/2026 – potvrda');
        const pending = page.getByRole('row').filter({ hasText: 'e2e.vetting.new' }).filter({ hasText: 'Aktiviranje' });
        await pending.getByRole('button', { name: 'Potvrdi' }).click();
        const temporary = page.getByTestId('temporary-password');
        await temporary.waitFor();
        const password = (await temporary.locator('code').textContent()) ?? '';
        expect(password.length).toBeGreaterThan(11);
        await look(page, 'admin-confirmed');

        // Its holder signs in with it, must set a password of their own, then signs in with that.
        await page.getByRole('button', { name: 'Odjava' }).click();
        await page.getByLabel('Korisničko ime', { exact: true }).fill('e2e.vetting.new');
        await page.getByLabel('Lozinka', { exact: true }).fill(password);
        await page.getByRole('button', { name: 'Prijava' }).click();
        await page.getByRole('heading', { name: 'Promena lozinke' }).waitFor();
        await look(page, 'password-change');
        await page.getByLabel('Nova lozinka').fill('Svoja-lozinka-za-proveru-2026');
        await page.getByRole('button', { name: 'Sačuvaj' }).click();
        await page.getByText('Lozinka je promenjena. Prijavite se novom lozinkom.').waitFor();
        await signIn(page, { username: 'e2e.vetting.new', password: 'Svoja-lozinka-za-proveru-2026' });
        await page.getByRole('heading', { name: 'Provera za poslodavce' }).waitFor();
      }),
    180_000,
  );

  it(
    'a judicial officer finds a person, reads the conviction and measures, and takes the case file',
    () =>
      journey('judge', 1280, 1000, async (page) => {
        await signIn(page, accounts.judge);
        // The person search is the judicial officer's home; nothing of the register before a reason.
        await page.getByRole('heading', { name: 'Lica' }).waitFor();
        await look(page, 'judge-reason');
        await giveReason(page, 'K 7/2019 – izvršenje mera');
        await page.getByLabel('Ime ili prezime / JMBG').fill(overduePerson.surname);
        await page.getByRole('button', { name: 'Pretraga' }).click();
        const found = page.getByRole('link', { name: `${overduePerson.surname}, Nikola` });
        await found.waitFor();
        await look(page, 'judge-search');

        await found.click();
        await keptReason(page, 'K 7/2019 – izvršenje mera');
        await page.getByRole('heading', { name: `${overduePerson.surname}, Nikola` }).waitFor();
        await openTab(page, 'Presude');
        await page.getByText(/K 7\/2019, čl\. 180/).waitFor();
        // A reader: no form to change the register.
        expect(await page.getByRole('button', { name: 'Sačuvaj' }).count()).toBe(0);
        await look(page, 'judge-convictions');
        await openTab(page, 'Mere i poštovanje');
        await page
          .getByTestId('measures')
          .getByText(/Periodično javljanje/)
          .waitFor();
        expect(await page.getByRole('button', { name: 'Sačuvaj' }).count()).toBe(0);
        await look(page, 'judge-person');
        await openTab(page, 'Istorija');

        const caseFile = page.getByTestId('case-file-form');
        await caseFile.getByLabel('Tužilaštvo kome se spis izdaje').fill('Više javno tužilaštvo u Beogradu');
        const download = page.waitForEvent('download');
        await caseFile.getByRole('button', { name: 'Preuzmi spis (PDF)' }).click();
        const file = await download;
        expect(file.suggestedFilename()).toBe(`spis-${overduePerson.surname}-${overduePerson.id}.pdf`);
        expect(
          readFileSync(await file.path())
            .subarray(0, 5)
            .toString(),
        ).toBe('%PDF-');
        await look(page, 'judge-case-file');

        // The register's figures: a chart of one figure with its table beside it, every figure below.
        await page.getByRole('link', { name: 'Statistika' }).click();
        const figure = page.getByTestId('statistics-figure');
        await figure.waitFor();
        expect(await page.locator('.recharts-bar-rectangle').count()).toBeGreaterThan(0);
        const chartTotal = (await figure.getByRole('row').last().textContent()) ?? '';
        const totals = page.getByTestId('statistics-all').getByRole('row').last().getByRole('cell');
        // The chart's figure is the second column of every figure (persons with active measures).
        expect(chartTotal).toBe(`Ukupno${await totals.nth(1).textContent()}`);
        expect(Number(chartTotal.replace('Ukupno', ''))).toBeGreaterThan(0);
        await look(page, 'judge-statistics');
        const report = page.waitForEvent('download');
        await page.getByLabel('Oblik').selectOption('csv');
        await page.getByRole('button', { name: 'Preuzmi izveštaj' }).click();
        const csv = await report;
        const year = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Belgrade' }).format(new Date()).slice(0, 4);
        expect(csv.suggestedFilename()).toBe(`statistics-${year}.csv`);
        expect(readFileSync(await csv.path(), 'utf8').split('\r\n')[0]).toMatch(
          /^table,key,label,personsRegistered,withActiveMeasures,/,
        );
      }),
    120_000,
  );

  it(
    'a vetting officer answers an employer about a candidate and hands over the certificate',
    () =>
      journey('vetting', 1280, 1000, async (page) => {
        await signIn(page, accounts.vetting);
        await page.getByRole('heading', { name: 'Provera za poslodavce' }).waitFor();
        await look(page, 'vetting-form');
        await page.getByLabel('Naziv poslodavca').fill('Osnovna škola „Vuk Karadžić”');
        await page.getByLabel('Matični broj').fill('07001234');
        await page.getByLabel('Delatnost (posao kandidata)').fill('Nastavnik razredne nastave');
        await page.getByLabel('Ime', { exact: true }).fill('Nikola');
        await page.getByLabel('Prezime', { exact: true }).fill(overduePerson.surname);
        await page.getByLabel('JMBG').fill(overduePerson.jmbg);
        await page.getByLabel('Pravni osnov').fill('Zakon o osnovama sistema obrazovanja i vaspitanja, čl. 139');
        await page.getByLabel('Broj zahteva poslodavca').fill('OŠ-VK 112/2026');
        await page.getByRole('button', { name: 'Proveri i izdaj uverenje' }).click();
        await page.getByText('POD ZABRANOM na dan izdavanja').waitFor();
        await look(page, 'vetting-answer');
        const download = page.waitForEvent('download');
        await page.getByRole('button', { name: 'Preuzmi uverenje (PDF)' }).click();
        const file = await download;
        expect(file.suggestedFilename()).toMatch(/^uverenje-.+\.pdf$/);
        expect(
          readFileSync(await file.path())
            .subarray(0, 5)
            .toString(),
        ).toBe('%PDF-');
      }),
    120_000,
  );

  it(
    "an officer's person page keeps who it is whole at 1280, 1024 and on a tablet, and opens each tab",
    () =>
      journey('person-page', 1280, 900, async (page) => {
        await signIn(page, accounts.officer);
        // The officer's top bar: one line at 1280.
        const bar = (await page.locator('header.top').boundingBox())!;
        const signOut = (await page.getByRole('button', { name: 'Odjava' }).boundingBox())!;
        expect({ height: bar.height <= signOut.height + 24, right: signOut.x + signOut.width <= 1280 }).toEqual({
          height: true,
          right: true,
        });
        await page.goto(`${api.url}/console/persons/${overduePerson.id}`);
        await giveReason(page, 'Pregled dosijea 9/2026');
        await page.getByRole('heading', { name: `${overduePerson.surname}, Nikola` }).waitFor();
        await expect(page.getByTestId('person-dob').textContent()).resolves.toBe('1.\u00a01.\u00a01985.');
        for (const [width, height] of [
          [1280, 900],
          [1024, 768],
          [768, 1024],
        ]) {
          await page.setViewportSize({ width, height });
          await expectPersonHeaderWhole(page, `${width}x${height}`);
          await shot(page, `person-header-${width}`);
        }
        for (const [tab, panel] of [
          ['Adrese', 'addresses'],
          ['Mere i poštovanje', 'measures'],
          ['Presude', 'convictions'],
          ['Radnje', 'acts'],
          ['Identitet', 'identity'],
        ]) {
          await openTab(page, tab);
          await page.getByTestId(`panel-${panel}`).waitFor();
          expect(new URL(page.url()).searchParams.get('tab')).toBe(panel);
        }
        await page.getByTestId('panel-identity').getByRole('heading', { name: 'Lični podaci' }).waitFor();
        // The history is not the officer's to read: no tab for it.
        expect(await page.getByRole('tab').allTextContents()).toEqual([
          'Identitet',
          'Adrese',
          'Mere i poštovanje',
          'Presude',
          'Radnje',
        ]);
        // The tab is in the address: a reload opens it again.
        await openTab(page, 'Mere i poštovanje');
        await page.reload();
        // A reload may ask the reason again (it is kept for the tab's session only).
        const asked = page.getByLabel('Razlog', { exact: true });
        await asked.or(page.locator('.reason-bar')).first().waitFor();
        if (await asked.isVisible()) await giveReason(page, 'Pregled dosijea 9/2026');
        await page.getByRole('tab', { name: 'Mere i poštovanje', selected: true }).waitFor();
        await expectAccessible(page, 'person-measures');
        // The keyboard: the arrow keys move between the tabs.
        await page.getByRole('tab', { name: 'Mere i poštovanje' }).focus();
        await page.keyboard.press('ArrowRight');
        await page.getByRole('tab', { name: 'Presude', selected: true }).waitFor();
        // An officer records check-ins but never voids one.
        await openTab(page, 'Radnje');
        await page.getByTestId('check-ins').waitFor();
        expect(await page.getByTestId('check-ins').getByRole('button', { name: 'Poništi' }).count()).toBe(0);
      }),
    120_000,
  );

  it(
    'a clerk voids a check-in and a breach recorded by mistake from the lists, with the reason',
    () =>
      journey('void', 1024, 768, async (page) => {
        const token = await clerkToken();
        const breachId = await seedBreach(token);
        await signIn(page, accounts.clerk);
        await page.goto(`${api.url}/console/persons/${overduePerson.id}?tab=measures`);
        await giveReason(page, 'Ispravka unosa 4/2026');
        await page.getByRole('button', { name: 'Evidentiraj javljanje' }).click();
        await page.getByRole('button', { name: 'Potvrdi javljanje' }).click();
        await page.getByText('Javljanje je evidentirano.').waitFor();
        await openTab(page, 'Radnje');
        const row = page.getByTestId('check-ins').getByRole('listitem').first();
        await row.getByRole('button', { name: 'Poništi' }).click();
        await row.getByLabel('Razlog poništenja').fill('Uneto greškom');
        await row.getByRole('button', { name: 'Potvrdi poništenje' }).click();
        await page.getByTestId('check-ins').getByRole('listitem').first().getByText('poništeno').waitFor();
        expect(await page.getByTestId('check-ins').getByRole('listitem').first().getByRole('button').count()).toBe(0);
        // The breach, in its own list on the same tab: voided the same way, its reason kept.
        const breach = page
          .getByTestId('breaches')
          .getByRole('listitem')
          .filter({ hasText: 'Zatečen ispred osnovne škole.' });
        await breach.getByRole('button', { name: 'Poništi' }).click();
        await breach.getByLabel('Razlog poništenja').fill('Pogrešno lice');
        await breach.getByRole('button', { name: 'Potvrdi poništenje' }).click();
        await breach.getByText('poništeno').waitFor();
        expect(await breach.getByRole('button').count()).toBe(0);
        const breaches = await call(api.url, 'GET', `/api/v1/persons/${overduePerson.id}/breaches`, {
          token,
          reason: true,
        });
        expect(breaches.body.items).toEqual([expect.objectContaining({ id: breachId, voidReason: 'Pogrešno lice' })]);
        await shot(page, 'clerk-void');
        await expectAccessible(page, 'clerk-void');
      }),
    120_000,
  );
});

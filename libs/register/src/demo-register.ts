import type { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { RequestAudit } from '@app/audit';
import type { Principal } from '@app/authz';
import { addDays, belgradeToday } from '@app/common';
import { jmbgsOnFile } from './access/person-lookup';
import { AddressesService } from './addresses.service';
import { ConvictionsService } from './convictions.service';
import { expectedCheckDigit } from './jmbg';
import { MeasureActsService } from './measure-acts.service';
import { MeasuresService } from './measures.service';
import { PersonsService } from './persons.service';

interface DemoPerson {
  surname: string;
  givenNames: string;
  /** DDMMYYY of the JMBG, and the date of birth it states. */
  born: [string, string];
  city: string;
  street: string;
  postalCode: string;
  administration: string;
  /** Periodic reporting started this many days ago, every 30 days. */
  reportingSince: number;
  /** A check-in this many days ago, if any. */
  checkedInDaysAgo?: number;
}

/**
 * Persons for trying the console on the embedded database: in Beograd one
 * overdue (the worker's scan raises its alerts), one compliant and one due
 * soon; one overdue in Novi Sad; one in Niš, outside both demo officers'
 * regions (for the cross-region lookup); and DEMO_PRISONER. Invented names and
 * numbers.
 */
const DEMO_PERSONS: DemoPerson[] = [
  {
    surname: 'Marković',
    givenNames: 'Nikola',
    born: ['1203985', '1985-03-12'],
    city: 'Beograd',
    street: 'Bulevar kralja Aleksandra 73',
    postalCode: '11000',
    administration: 'PU-BEOGRAD',
    reportingSince: 95,
  },
  {
    surname: 'Jovanović',
    givenNames: 'Dragan',
    born: ['0507979', '1979-07-05'],
    city: 'Beograd',
    street: 'Cara Dušana 12',
    postalCode: '11080',
    administration: 'PU-BEOGRAD',
    reportingSince: 20,
    checkedInDaysAgo: 5,
  },
  {
    surname: 'Petrović',
    givenNames: 'Milan',
    born: ['2111990', '1990-11-21'],
    city: 'Beograd',
    street: 'Vojvode Stepe 101',
    postalCode: '11000',
    administration: 'PU-BEOGRAD',
    reportingSince: 25,
  },
  {
    surname: 'Ilić',
    givenNames: 'Zoran',
    born: ['3001982', '1982-01-30'],
    city: 'Novi Sad',
    street: 'Bulevar oslobođenja 44',
    postalCode: '21000',
    administration: 'PU-NOVI-SAD',
    reportingSince: 70,
  },
  {
    surname: 'Đorđević',
    givenNames: 'Stefan',
    born: ['1409988', '1988-09-14'],
    city: 'Niš',
    street: 'Obrenovićeva 20',
    postalCode: '18000',
    administration: 'PU-NIS',
    reportingSince: 10,
  },
];

/**
 * A prisoner in Beograd released in six days, whose measures (reporting and
 * notifying changes) start then, and who has not yet been told his duties:
 * the release list shows him unprepared and the scan raises
 * `release_unprepared`.
 */
const DEMO_PRISONER = {
  surname: 'Nikolić',
  givenNames: 'Aleksandar',
  born: ['0802987', '1987-02-08'],
  city: 'Beograd',
  street: 'Kneza Miloša 40',
  postalCode: '11000',
  administration: 'PU-BEOGRAD',
  releaseInDays: 6,
} as const;

/** A valid JMBG for a man born on `ddmmyyy`, registered in Beograd (71). */
function demoJmbg(ddmmyyy: string, serial: number): string {
  for (let bbb = serial; ; bbb += 1) {
    const first12 = `${ddmmyyy}71${String(bbb % 500).padStart(3, '0')}`;
    const check = expectedCheckDigit(first12);
    if (check !== null) return `${first12}${check}`;
  }
}

const DEMO_SERIAL = (index: number): number => 100 + index * 37;
const PRISONER_SERIAL = 311;

/** The JMBGs the demo persons are recorded with. */
function demoJmbgs(): string[] {
  return [
    ...DEMO_PERSONS.map((demo, index) => demoJmbg(demo.born[0], DEMO_SERIAL(index))),
    demoJmbg(DEMO_PRISONER.born[0], PRISONER_SERIAL),
  ];
}

/**
 * Records the demo persons as the demo clerk would, through the register's
 * own services (history and audit events included). Meant for the embedded
 * database only, after the demo accounts exist. A demo person whose JMBG is
 * already on file is left alone, so a later start (new demo passwords after
 * `data/demo-accounts.json` was removed) adds nothing twice. Returns how
 * many persons it added.
 */
export async function seedDemoRegister(app: INestApplicationContext, clerkUsername: string): Promise<number> {
  const [clerk]: { id: string; organisation: string }[] = await app
    .get(DataSource)
    .query(`SELECT id, organisation FROM users WHERE username = $1`, [clerkUsername]);
  if (!clerk) return 0;
  const principal: Principal = {
    userId: clerk.id,
    username: clerkUsername,
    role: 'registry_clerk',
    region: null,
    office: null,
    organisation: clerk.organisation,
    sessionId: 'demo-seed',
    mfa: true,
    scope: 'full',
  };
  const audit = (action: string) => {
    const request = RequestAudit.system(action);
    request.reason = 'Demo data';
    return request;
  };
  const today = belgradeToday();
  const onFile = await jmbgsOnFile(app.get(DataSource), demoJmbgs());
  let added = 0;
  /** A person with a permanent address, as the clerk records one; undefined when already on file. */
  const record = async (demo: Omit<DemoPerson, 'reportingSince'>, serial: number) => {
    const jmbg = demoJmbg(demo.born[0], serial);
    if (onFile.has(jmbg)) return undefined;
    added += 1;
    const person = await app.get(PersonsService).create(audit('person.create'), principal, {
      surname: demo.surname,
      givenNames: demo.givenNames,
      jmbg,
      dateOfBirth: demo.born[1],
      placeOfBirth: demo.city,
      sex: 'M',
      citizenship: 'RS',
    });
    await app.get(AddressesService).add(audit('address.create'), principal, person.id, {
      kind: 'permanent',
      street: demo.street,
      city: demo.city,
      postalCode: demo.postalCode,
      policeAdministration: demo.administration,
      validFrom: addDays(today, -400),
    });
    return person;
  };
  for (const [i, demo] of DEMO_PERSONS.entries()) {
    const person = await record(demo, DEMO_SERIAL(i));
    if (!person) continue;
    await app.get(ConvictionsService).add(audit('conviction.create'), principal, person.id, {
      court: 'Viši sud u Beogradu',
      caseNumber: `K ${101 + i}/2019`,
      judgmentDate: '2019-10-15',
      finalityDate: '2020-01-20',
      offences: [{ article: '180' }],
      victimAge: 'child',
      sentence: { kind: 'imprisonment', months: 60 },
      releaseDate: addDays(today, -demo.reportingSince - 10),
    });
    const measure = await app.get(MeasuresService).add(audit('measure.create'), principal, person.id, {
      type: 'periodic_reporting',
      startsOn: addDays(today, -demo.reportingSince),
      endsOn: addDays(today, 5 * 365),
      reportTo: demo.administration,
      everyDays: 30,
    });
    if (demo.checkedInDaysAgo !== undefined) {
      await app.get(MeasureActsService).checkIn(audit('check_in.create'), principal, person.id, {
        measureId: measure.id,
        occurredAt: new Date(Date.now() - demo.checkedInDaysAgo * 86_400_000).toISOString(),
        place: 'Policijska stanica',
        method: 'in_person',
      });
    }
  }
  const prisoner = await record({ ...DEMO_PRISONER, born: [...DEMO_PRISONER.born] }, PRISONER_SERIAL);
  if (!prisoner) return added;
  const release = addDays(today, DEMO_PRISONER.releaseInDays);
  await app.get(ConvictionsService).add(audit('conviction.create'), principal, prisoner.id, {
    court: 'Viši sud u Beogradu',
    caseNumber: 'K 212/2021',
    judgmentDate: '2021-04-12',
    finalityDate: '2021-07-01',
    offences: [{ article: '182a', paragraph: 2 }],
    victimAge: 'minor',
    sentence: { kind: 'imprisonment', months: 66 },
    custodyFrom: '2021-06-15',
    releaseDate: release,
  });
  for (const type of ['periodic_reporting', 'notify_changes'] as const) {
    await app.get(MeasuresService).add(audit('measure.create'), principal, prisoner.id, {
      type,
      startsOn: release,
      endsOn: addDays(release, 10 * 365),
      ...(type === 'periodic_reporting' ? { reportTo: DEMO_PRISONER.administration } : {}),
    });
  }
  return added;
}

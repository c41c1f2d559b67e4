import type { PdfContent, PdfSection } from '@app/common';
import type { CaseFileCheckIn, CaseFilePeriod, CaseFileView } from './access/case-file-read-model';

const OUTCOMES: Record<CaseFilePeriod['outcome'], string> = {
  checked_in: 'javio se',
  excused: 'opravdano (obustava ili lišenje slobode)',
  missed: 'PROPUŠTENO',
  open: 'u toku',
};

const AUTHORITIES: Record<string, string> = {
  police: 'policija',
  uiks: 'UIKS (poverenik)',
  counselling: 'savetovanje',
};

const events = (ids: readonly string[]) => (ids.length ? ids.join(', ') : '—');
const day = (at: string) => at.slice(0, 10);
const checkIn = (c: CaseFileCheckIn | null) => (c ? `${day(c.occurredAt)} (${c.id})` : '—');

function periodRow(period: CaseFilePeriod): string[] {
  const acts =
    period.outcome === 'missed'
      ? [
          `pre: ${checkIn(period.previousCheckIn)}`,
          `posle: ${checkIn(period.nextCheckIn)}`,
          `upozorenje: ${period.alert ? `${period.alert.kind} ${period.alert.id}` : '—'}`,
        ].join('; ')
      : period.checkIns.map((c) => `${c.occurredAt} (${c.id})`).join('; ');
  return [
    String(period.index),
    period.startsOn,
    period.lastDay,
    OUTCOMES[period.outcome],
    acts,
    events(period.auditEventIds),
  ];
}

/**
 * The case file as a document: the same view the JSON answer is, laid out
 * for the prosecutor (Serbian labels, every item with its audit event ids).
 */
export function caseFileDocument(view: CaseFileView): PdfContent {
  const person = view.person;
  const sections: PdfSection[] = [
    {
      heading: 'Lice',
      rows: [
        ['Prezime i ime', `${person.surname} ${person.givenNames}`],
        ['JMBG', String(person.jmbg ?? '—')],
        ['Datum rođenja', String(person.dateOfBirth ?? '—')],
        ['Mesto rođenja', String(person.placeOfBirth ?? '—')],
        ['Državljanstvo', String(person.citizenship ?? '—')],
        ['Id u registru', person.id],
        ['Događaji u dnevniku', events(person.auditEventIds)],
      ],
    },
    {
      heading: 'Osude',
      table: {
        columns: ['Sud, broj predmeta', 'Pravnosnažna', 'Kazna', 'Otpust', 'Događaji u dnevniku'],
        rows: view.convictions.map((c) => [
          `${c.court}, ${c.caseNumber}`,
          c.finalityDate,
          `${c.sentence.kind}${c.sentence.months ? ` ${c.sentence.months} mes.` : ''}`,
          c.releasedOn ?? c.releaseDate ?? '—',
          events(c.auditEventIds),
        ]),
      },
    },
  ];
  for (const measure of view.measures) {
    sections.push({
      heading: `Mera: ${measure.type} (${measure.startsOn} – ${measure.endsOn}, ${measure.status})`,
      rows: [
        ['Id mere', measure.id],
        ['Dužnosti objašnjene', measure.acknowledged ? 'da' : 'NE'],
        ...measure.acknowledgements.map(
          (a) =>
            [
              'Potvrda',
              `${a.explainedOn}, ${a.explainedBy}${a.voided ? ' (poništena)' : ''}; događaji: ${events(a.auditEventIds)}`,
            ] as const,
        ),
        ...measure.suspensions.map((s) => ['Obustava', `${s.fromOn} – ${s.toOn ?? ''}`] as const),
        ['Događaji u dnevniku', events(measure.auditEventIds)],
      ],
    });
    for (const schedule of measure.schedules) {
      sections.push({
        heading: `Raspored: ${AUTHORITIES[schedule.authority] ?? schedule.authority}${schedule.office ? ` ${schedule.office}` : ''} (${schedule.kind}${schedule.everyDays ? ` ${schedule.everyDays}` : ''})`,
        table: {
          columns: ['Period', 'Od', 'Do', 'Ishod', 'Javljanja / upozorenje', 'Događaji u dnevniku'],
          rows: schedule.periods.map(periodRow),
        },
      });
    }
  }
  sections.push(
    {
      heading: 'Obaveštenja',
      table: {
        columns: ['Vrsta', 'Primljeno', 'Rok', 'Na vreme', 'Id', 'Događaji u dnevniku'],
        rows: view.notifications.map((n) => [
          `${n.kind}${n.voided ? ' (poništeno)' : ''}`,
          n.notifiedAt,
          n.deadline,
          n.onTime ? 'da' : 'NE (kasno)',
          n.id,
          events(n.auditEventIds),
        ]),
      },
    },
    {
      heading: 'Provere adrese',
      table: {
        columns: ['Provereno', 'Ishod', 'Uprava', 'Id', 'Događaji u dnevniku'],
        rows: view.addressChecks.map((c) => [
          c.checkedAt,
          `${c.outcome}${c.voided ? ' (poništeno)' : ''}`,
          c.policeAdministration,
          c.id,
          events(c.auditEventIds),
        ]),
      },
    },
    {
      heading: 'Povrede',
      table: {
        columns: ['Vreme', 'Vrsta', 'Opis', 'Id', 'Događaji u dnevniku'],
        rows: view.breaches.map((b) => [
          b.occurredAt,
          `${b.kind}${b.voided ? ' (poništena)' : ''}`,
          b.description,
          b.id,
          events(b.auditEventIds),
        ]),
      },
    },
    {
      heading: 'Upozorenja',
      table: {
        columns: ['Vrsta', 'Rok', 'Stanje', 'Id', 'Događaji u dnevniku'],
        rows: view.alerts.map((a) => [a.kind, a.dueDate, a.status, a.id, events(a.auditEventIds)]),
      },
    },
    {
      heading: 'Provera potpisa',
      lines: [
        'Ovaj dokument je potpisan ključem dnevnika pristupa registra (Ed25519). Javni ključ: GET /api/v1/audit/keys;',
        'provera: npm run cli -- documents:verify SPIS.pdf --keys KLJUCEVI.json. Svaka izmena bilo kog bajta poništava potpis.',
      ],
    },
  );
  return {
    title: 'Spis predmeta — posebna evidencija',
    subtitle: `Izdato ${view.issuedAt} za: ${view.recipient}`,
    info: { author: 'Posebna evidencija (Uprava za izvršenje krivičnih sankcija)', subject: 'Spis predmeta' },
    createdAt: new Date(view.issuedAt),
    sections,
  };
}

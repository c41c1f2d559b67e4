import { Injectable } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import QRCode from 'qrcode';
import type { EntityManager } from 'typeorm';
import {
  addDays,
  AppConfig,
  belgradeToday,
  DomainError,
  type FieldError,
  Keyset,
  type KeysetColumn,
  type Page,
  renderPdf,
} from '@app/common';
import type { Principal } from '@app/authz';
import { AuditLog, RequestAudit } from '@app/audit';
import { dateRange, ListPages } from '@app/compliance';
import { VettingCheck } from '../access/vetting-check';
import type { CreateVettingRequestDto, VettingCandidateDto, VettingVolumeQuery } from '../dto/vetting.dto';
import { parseJmbg } from '../jmbg';
import { canonicalCertificateNumber, newCertificateNumber } from './certificate-number';
import { type CandidateIdentifier, VettingKeys } from './vetting-keys';

/**
 * The answer to an employer: the same keys and types whether the candidate
 * is not in the register or in it and not barred (nothing else about the
 * person, not even that).
 */
export class VettingAnswer {
  @ApiProperty({ format: 'uuid', example: 'c2f1a7d4-5b3e-4f6a-8d9c-1e2f3a4b5c6d' })
  requestId!: string;

  @ApiProperty({ description: 'The candidate may not work with minors', example: false })
  barred!: boolean;

  @ApiProperty({ example: 'PE-2026-000142' })
  certificateNumber!: string;

  @ApiProperty({ format: 'date', example: '2026-02-23' })
  issuedOn!: string;

  @ApiProperty({ format: 'date', example: '2026-05-23' })
  validUntil!: string;
}

/** What anyone holding a certificate number may learn: whether it is still valid, its date, its answer. */
export class CertificateCheck {
  @ApiProperty({ example: true })
  valid!: boolean;

  @ApiProperty({ format: 'date', example: '2026-02-23' })
  issuedOn!: string;

  @ApiProperty({ example: false })
  barred!: boolean;
}

/** One employer's requests on one day (the auditors' view: no candidate, no answer). */
export class VettingVolumeItem {
  @ApiProperty({ format: 'date', example: '2026-02-23' })
  day!: string;

  @ApiProperty({ example: '17593287' })
  registryNumber!: string;

  @ApiProperty({ example: 'Predškolska ustanova „Pčelica” Niš' })
  employerName!: string;

  @ApiProperty({ example: 3 })
  requests!: number;
}

interface VettingRow {
  id: string;
  employer_name: string;
  employer_registry_number: string;
  activity: string;
  public_office: boolean;
  legal_basis: string;
  request_reference: string;
  candidate_given_names: string;
  candidate_surname: string;
  barred: boolean;
  certificate_number: string;
  issued_on: string;
  valid_until: string;
}

interface VolumeRow {
  /** The day as text (the row's `day` is a date). */
  keyset_0: string;
  registry_number: string;
  employer_name: string;
  requests: number;
}

/** Newest day first, then by registry number. */
const BY_DAY: KeysetColumn[] = [
  { sql: 'l.day', kind: 'date', desc: true },
  { sql: 'l.registry_number', kind: 'text', desc: true },
];

/** The same answer for a malformed, an altered and an unknown number. */
const NO_CERTIFICATE = 'No such certificate.';

/** The address a certificate's QR code points to: anyone may check the number there. */
export function verificationUrl(publicUrl: string, certificateNumber: string): string {
  return `${publicUrl}/api/v1/vetting/verify/${certificateNumber}`;
}

/**
 * Employer vetting (#17): a vetting officer asks, on an employer's request,
 * whether a candidate is barred from work with minors (or from a public
 * office) on the issue day, and hands the employer a certificate that anyone
 * can check by its number. Every request is a flagged disclosure to the
 * employer; past VETTING_MAX_PER_EMPLOYER_DAY requests of one employer in a
 * day, the auditors get one flagged `vetting.fishing` event.
 */
@Injectable()
export class VettingService {
  constructor(
    private readonly log: AuditLog,
    private readonly check: VettingCheck,
    private readonly keys: VettingKeys,
    private readonly config: AppConfig,
    private readonly pages: ListPages,
  ) {}

  request(audit: RequestAudit, principal: Principal, body: CreateVettingRequestDto): Promise<VettingAnswer> {
    const candidate = this.identifierOf(body.candidate);
    const { employer } = body;
    const publicOffice = body.publicOffice ?? false;
    audit.on('vetting_request');
    audit.flagged = true;
    audit.recipient = `${employer.name} (MB ${employer.registryNumber})`;
    return this.log.transaction(audit, async (manager) => {
      const issuedOn = belgradeToday();
      const validUntil = addDays(issuedOn, this.config.vetting.certificateValidDays - 1);
      // One employer's requests are counted one at a time, so that the alert is written exactly once.
      await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 17))`, [
        `vetting:${employer.registryNumber}`,
      ]);
      const barredPerson = await this.check.barredPerson(manager, audit, candidate, { publicOffice, on: issuedOn });
      if (barredPerson) audit.subject(barredPerson);
      const barred = barredPerson !== null;
      const certificateNumber = newCertificateNumber();
      const [{ id }]: { id: string }[] = await manager.query(
        `INSERT INTO vetting_requests (employer_name, employer_registry_number, activity, public_office, legal_basis,
                request_reference, candidate_given_names, candidate_surname, candidate_identifier_kind,
                candidate_identifier_hash, barred, certificate_number, issued_on, valid_until, issued_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id`,
        [
          employer.name,
          employer.registryNumber,
          body.activity,
          publicOffice,
          body.legalBasis,
          body.requestReference,
          body.candidate.givenNames,
          body.candidate.surname,
          candidate.kind,
          this.keys.hashIdentifier(candidate),
          barred,
          certificateNumber,
          issuedOn,
          validUntil,
          principal.userId,
        ],
      );
      audit.on('vetting_request', id);
      audit.resultCount = 1;
      audit.details = {
        employer: { name: employer.name, registryNumber: employer.registryNumber },
        activity: body.activity,
        publicOffice,
        legalBasis: body.legalBasis,
        requestReference: body.requestReference,
        certificateNumber,
        barred,
      };
      await this.alertFishing(manager, audit, employer, issuedOn);
      return { requestId: id, barred, certificateNumber, issuedOn, validUntil };
    });
  }

  /** The certificate of a request as a PDF, with the QR code of its verification address. */
  certificate(audit: RequestAudit, id: string): Promise<{ fileName: string; data: Buffer }> {
    audit.on('vetting_request', id);
    return this.log.transaction(audit, async (manager) => {
      const [row]: VettingRow[] = await manager.query(
        `SELECT id, employer_name, employer_registry_number, activity, public_office, legal_basis, request_reference,
                candidate_given_names, candidate_surname, barred, certificate_number,
                issued_on::text AS issued_on, valid_until::text AS valid_until
           FROM vetting_requests WHERE id = $1`,
        [id],
      );
      if (!row) throw DomainError.notFound('No such vetting request.');
      audit.recipient = `${row.employer_name} (MB ${row.employer_registry_number})`;
      audit.details = { certificateNumber: row.certificate_number };
      const url = verificationUrl(this.config.mail.publicUrl, row.certificate_number);
      const png = await QRCode.toBuffer(url, { type: 'png', errorCorrectionLevel: 'M', margin: 1, width: 240 });
      const data = await renderPdf({
        title: 'Uverenje iz posebne evidencije / Certificate from the special register',
        subtitle:
          'Zakon o posebnim merama za sprečavanje vršenja krivičnih dela protiv polne slobode prema maloletnim licima',
        info: { author: 'Uprava za izvršenje krivičnih sankcija', subject: `Uverenje ${row.certificate_number}` },
        sections: [
          {
            heading: 'Uverenje / Certificate',
            rows: [
              ['Broj / Number', row.certificate_number],
              ['Izdato / Issued on', row.issued_on],
              ['Važi do / Valid until', row.valid_until],
            ],
          },
          {
            heading: 'Poslodavac / Employer',
            rows: [
              ['Naziv / Name', row.employer_name],
              ['Matični broj / Registry number', row.employer_registry_number],
              ['Delatnost / Activity', row.activity],
              ['Javna funkcija / Public office', row.public_office ? 'da / yes' : 'ne / no'],
              ['Pravni osnov / Legal basis', row.legal_basis],
              ['Broj zahteva / Request reference', row.request_reference],
            ],
          },
          {
            heading: 'Kandidat / Candidate',
            rows: [
              [
                'Ime i prezime (kako ih je naveo poslodavac) / Name as given',
                `${row.candidate_given_names} ${row.candidate_surname}`,
              ],
            ],
          },
          {
            heading: 'Odgovor / Answer',
            lines: [
              row.barred
                ? 'POD ZABRANOM na dan izdavanja / BARRED on the day of issue'
                : 'NIJE POD ZABRANOM na dan izdavanja / NOT BARRED on the day of issue',
            ],
          },
        ],
        image: { png, caption: `Proverite uverenje / Verify the certificate: ${url}` },
      });
      return { fileName: `uverenje-${row.certificate_number}.pdf`, data };
    });
  }

  /** Anyone (no token): a real certificate's validity, date and answer; 404 for anything else. */
  verify(audit: RequestAudit, text: string): Promise<CertificateCheck> {
    audit.on('vetting_certificate');
    const number = canonicalCertificateNumber(text);
    if (!number) return Promise.reject(DomainError.notFound(NO_CERTIFICATE));
    audit.on('vetting_certificate', number);
    return this.log.transaction(audit, async (manager) => {
      const [row]: { issued_on: string; barred: boolean; valid: boolean }[] = await manager.query(
        `SELECT issued_on::text AS issued_on, barred, valid_until >= $2::date AS valid
           FROM vetting_requests WHERE certificate_number = $1`,
        [number, belgradeToday()],
      );
      if (!row) throw DomainError.notFound(NO_CERTIFICATE);
      audit.resultCount = 1;
      return { valid: row.valid, issuedOn: row.issued_on, barred: row.barred };
    });
  }

  /** Requests per employer per day, newest day first (auditors). */
  volume(audit: RequestAudit, query: VettingVolumeQuery): Promise<Page<VettingVolumeItem>> {
    const to = query.to ?? belgradeToday();
    const { from } = dateRange({ from: query.from ?? addDays(to, -30), to }, 30);
    audit.on('vetting_volume');
    return this.pages.page<VettingVolumeItem, VolumeRow>(
      audit,
      `SELECT v.issued_on AS day, v.employer_registry_number AS registry_number,
              (array_agg(v.employer_name ORDER BY v.created_at DESC))[1] AS employer_name,
              count(*)::int AS requests
         FROM vetting_requests v WHERE v.issued_on BETWEEN $1 AND $2
        GROUP BY v.issued_on, v.employer_registry_number`,
      [from, to],
      new Keyset(BY_DAY, query),
      (row) => ({
        day: row.keyset_0,
        registryNumber: row.registry_number,
        employerName: row.employer_name,
        requests: row.requests,
      }),
    );
  }

  /**
   * The request past the employer's daily limit (and only that one) writes a
   * flagged `vetting.fishing` event for the auditors' review queue. Under the
   * employer's advisory lock, the count includes every committed request.
   */
  private async alertFishing(
    manager: EntityManager,
    audit: RequestAudit,
    employer: { name: string; registryNumber: string },
    day: string,
  ): Promise<void> {
    const max = this.config.vetting.maxPerEmployerDay;
    const [{ requests }]: { requests: number }[] = await manager.query(
      `SELECT count(*)::int AS requests FROM vetting_requests
        WHERE employer_registry_number = $1 AND issued_on = $2`,
      [employer.registryNumber, day],
    );
    if (requests !== max + 1) return;
    // The system's observation, not the officer's request (which writes its own event): no request id.
    const fishing = RequestAudit.system('vetting.fishing').on('employer', employer.registryNumber);
    fishing.flagged = true;
    fishing.resultCount = requests;
    fishing.recipient = audit.recipient;
    fishing.details = {
      employer: { name: employer.name, registryNumber: employer.registryNumber },
      day,
      requests,
      threshold: max,
      requestId: audit.requestId,
    };
    await this.log.writeWithin(manager, fishing);
  }

  /** The candidate's JMBG (its check digit checked) or identity document: exactly one, else 400. */
  private identifierOf(candidate: VettingCandidateDto): CandidateIdentifier {
    const errors: FieldError[] = [];
    if (candidate.jmbg !== undefined && candidate.document !== undefined) {
      errors.push({ field: 'candidate.document', message: 'must not be given with a JMBG' });
    } else if (candidate.jmbg === undefined && candidate.document === undefined) {
      errors.push({ field: 'candidate.jmbg', message: 'or candidate.document is required' });
    } else if (candidate.jmbg !== undefined) {
      const parsed = parseJmbg(candidate.jmbg, this.config.register.jmbgRemainderOne);
      if ('problem' in parsed) errors.push({ field: 'candidate.jmbg', message: 'is not a valid JMBG' });
    }
    if (errors.length > 0) throw DomainError.validation(errors);
    if (candidate.jmbg !== undefined) return { kind: 'jmbg', jmbg: candidate.jmbg };
    const document = candidate.document!;
    return { kind: 'document', type: document.type, number: document.number, country: document.country };
  }
}

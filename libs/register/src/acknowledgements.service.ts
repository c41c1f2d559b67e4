import { Injectable } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { createHash } from 'node:crypto';
import { In, IsNull } from 'typeorm';
import {
  belgradeToday,
  DomainError,
  type FormUpload,
  type KeysetColumn,
  type Page,
  type PageQuery,
  sniffContentType,
  validateNested,
} from '@app/common';
import type { Principal } from '@app/authz';
import type { RequestAudit } from '@app/audit';
import { PersonAccess } from './access/person-access';
import type { PersonScope } from './access/person-scope';
import { AcknowledgementFieldsDto, type UpdateAcknowledgementDto } from './dto/acknowledgement.dto';
import { Acknowledgement } from './entities/acknowledgement.entity';
import { VoidableView } from './voidable.view';
import { Measure } from './entities/measure.entity';

/** The largest signed form accepted (a few scanned pages). */
export const MAX_FORM_BYTES = 10 * 1024 * 1024;

/** The multipart form of a new acknowledgement: the scanned signed form and the fields of AcknowledgementFieldsDto. */
export const ACKNOWLEDGEMENT_FORM = {
  file: 'file',
  fields: ['measureIds', 'explainedOn', 'explainedBy'],
  maxBytes: MAX_FORM_BYTES,
} as const;

export class SignedFormView {
  @ApiProperty({ enum: ['application/pdf', 'image/jpeg', 'image/png'], example: 'application/pdf' })
  contentType!: string;

  @ApiProperty({ example: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08' })
  sha256!: string;

  @ApiProperty({ example: 48213 })
  sizeBytes!: number;
}

export class AcknowledgementView extends VoidableView {
  @ApiProperty({ format: 'uuid', example: 'c2f1a7d4-5b3e-4f6a-8d9c-1e2f3a4b5c6d' })
  id!: string;

  @ApiProperty({ type: [String], example: ['0b9b7f0e-3c1d-4b8a-9f3e-6a1c2d3e4f50'] })
  measureIds!: string[];

  @ApiProperty({ format: 'date', example: '2026-02-10' })
  explainedOn!: string;

  @ApiProperty({ example: 'Jelena Ilić, KPZ Niš' })
  explainedBy!: string;

  @ApiProperty({ type: () => SignedFormView })
  form!: SignedFormView;

  @ApiProperty({ format: 'uuid', example: '5d6e7f80-1a2b-4c3d-8e4f-9a0b1c2d3e4f' })
  recordedBy!: string;

  @ApiProperty({ example: '2026-02-10T12:00:00.000Z' })
  createdAt!: Date;
}

export const toAcknowledgementView = (a: Acknowledgement): AcknowledgementView => ({
  id: a.id,
  measureIds: a.measureIds,
  explainedOn: a.explainedOn,
  explainedBy: a.explainedBy,
  form: { contentType: a.formContentType, sha256: a.formSha256, sizeBytes: a.formSizeBytes },
  recordedBy: a.recordedBy,
  createdAt: a.createdAt,
  voidedAt: a.voidedAt,
  voidedBy: a.voidedBy,
  voidReason: a.voidReason,
  version: a.version,
});

/** The measures named by an acknowledgement that stands (not voided). */
export function acknowledgedMeasureIds(acknowledgements: Acknowledgement[]): Set<string> {
  return new Set(acknowledgements.filter((a) => a.voidedAt === null).flatMap((a) => a.measureIds));
}

/** The signed form as served: its bytes, type and a file name for the download. */
export interface SignedForm {
  contentType: string;
  fileName: string;
  data: Buffer;
}

const EXTENSIONS: Record<string, string> = { 'application/pdf': 'pdf', 'image/jpeg': 'jpg', 'image/png': 'png' };

const NEWEST_FIRST: KeysetColumn[] = [
  { sql: 'x.explained_on', kind: 'date', desc: true },
  { sql: 'x.created_at', kind: 'time', desc: true },
  { sql: 'x.id', kind: 'uuid', desc: true },
];

/**
 * The text fields of the form as the DTO reads them: `measureIds` as a JSON
 * array in one field or as the field repeated; the others once each.
 */
function formFields(fields: Map<string, string[]>): Record<string, unknown> {
  const once = (name: string): string | undefined => {
    const values = fields.get(name) ?? [];
    if (values.length > 1) throw DomainError.validation([{ field: name, message: 'must be sent once' }]);
    return values[0];
  };
  const ids = fields.get('measureIds') ?? [];
  let measureIds: unknown = ids;
  if (ids.length === 1 && ids[0].trimStart().startsWith('[')) {
    try {
      measureIds = JSON.parse(ids[0]);
    } catch {
      throw DomainError.validation([{ field: 'measureIds', message: 'must be a JSON array of measure ids' }]);
    }
  }
  return { measureIds, explainedOn: once('explainedOn'), explainedBy: once('explainedBy') };
}

function assertExplainedOn(explainedOn: string): void {
  if (explainedOn > belgradeToday()) {
    throw DomainError.validation([{ field: 'explainedOn', message: 'must not be in the future' }]);
  }
}

/** Every id names a measure of this person; 400 naming `measureIds` otherwise. */
async function assertMeasuresOf(person: PersonScope, ids: string[]): Promise<void> {
  const found = new Set((await person.all(Measure, { id: 'ASC' }, { id: In(ids) })).map((m) => m.id));
  const strangers = ids.filter((id) => !found.has(id));
  if (strangers.length > 0) {
    throw DomainError.validation([
      { field: 'measureIds', message: `${strangers.join(', ')}: not a measure of this person` },
    ]);
  }
}

/**
 * Duties acknowledged: the person was told what their measures oblige them
 * to do and signed a form saying so; the scan is kept with its SHA-256 and
 * served only to those who may read the person's measures. Corrected with
 * history; voided, never deleted, when recorded by mistake.
 */
@Injectable()
export class AcknowledgementsService {
  constructor(private readonly access: PersonAccess) {}

  create(
    audit: RequestAudit,
    principal: Principal,
    personId: string,
    upload: FormUpload,
  ): Promise<AcknowledgementView> {
    audit.on('acknowledgement').subject(personId);
    const contentType = sniffContentType(upload.file);
    if (!contentType) {
      throw new DomainError('unsupported_media_type', 'The signed form must be a PDF, JPEG or PNG file.');
    }
    const fields = validateNested(AcknowledgementFieldsDto, formFields(upload.fields), '');
    assertExplainedOn(fields.explainedOn);
    return this.access.within(
      audit,
      principal,
      { action: 'create', on: 'Acknowledgement', personId, lock: true },
      async (person) => {
        await assertMeasuresOf(person, fields.measureIds);
        return person.create(
          Acknowledgement,
          'acknowledgement',
          {
            measureIds: fields.measureIds,
            explainedOn: fields.explainedOn,
            explainedBy: fields.explainedBy,
            formContentType: contentType,
            formSha256: createHash('sha256').update(upload.file).digest('hex'),
            formSizeBytes: upload.file.length,
            form: upload.file,
            recordedBy: principal.userId,
          },
          toAcknowledgementView,
        );
      },
    );
  }

  list(
    audit: RequestAudit,
    principal: Principal,
    personId: string,
    page: PageQuery,
  ): Promise<Page<AcknowledgementView>> {
    return this.access.list(audit, principal, 'acknowledgement', { on: 'Acknowledgement', personId }, (person) =>
      person.page(Acknowledgement, NEWEST_FIRST, page, toAcknowledgementView),
    );
  }

  /** The scanned signed form, for a reader of the person's measures. */
  form(audit: RequestAudit, principal: Principal, personId: string, id: string): Promise<SignedForm> {
    audit.on('acknowledgement', id).subject(personId);
    const part = { entity: Acknowledgement, id, absent: 'No such acknowledgement.' };
    return this.access.within(
      audit,
      principal,
      { action: 'read', on: 'Acknowledgement', personId, part },
      async (person) => {
        const acknowledgement = await person.partWithBytes(Acknowledgement, 'form');
        audit.resultCount = 1;
        return {
          contentType: acknowledgement.formContentType,
          fileName: `acknowledgement-${acknowledgement.id}.${EXTENSIONS[acknowledgement.formContentType]}`,
          data: acknowledgement.form,
        };
      },
    );
  }

  /** A clerk's correction (If-Match: its version) of the measures, the day or who explained them; the form stays. */
  correct(
    audit: RequestAudit,
    principal: Principal,
    personId: string,
    id: string,
    version: number,
    changes: UpdateAcknowledgementDto,
  ): Promise<AcknowledgementView> {
    audit.on('acknowledgement', id).subject(personId);
    const part = { entity: Acknowledgement, id, absent: 'No such acknowledgement.' };
    return this.access.within(
      audit,
      principal,
      { action: 'update', on: 'Acknowledgement', personId, part, lock: true },
      (person) =>
        person.change({
          entity: Acknowledgement,
          part: 'acknowledgement',
          version,
          view: toAcknowledgementView,
          apply: async (acknowledgement) => {
            const cleared = (['measureIds', 'explainedOn', 'explainedBy'] as const).filter((f) => changes[f] === null);
            if (cleared.length > 0) {
              throw DomainError.validation(cleared.map((field) => ({ field, message: 'must not be null' })));
            }
            if (changes.measureIds !== undefined) {
              await assertMeasuresOf(person, changes.measureIds);
              acknowledgement.measureIds = changes.measureIds;
            }
            if (changes.explainedOn !== undefined) {
              assertExplainedOn(changes.explainedOn);
              acknowledgement.explainedOn = changes.explainedOn;
            }
            if (changes.explainedBy !== undefined) acknowledgement.explainedBy = changes.explainedBy;
          },
        }),
    );
  }

  /** A clerk voids an acknowledgement recorded by mistake; the reason is the request's access reason. */
  void(audit: RequestAudit, principal: Principal, personId: string, id: string): Promise<AcknowledgementView> {
    return this.access.voidPart(
      audit,
      principal,
      {
        on: 'Acknowledgement',
        entity: Acknowledgement,
        part: 'acknowledgement',
        absent: 'No such acknowledgement.',
        personId,
        id,
      },
      toAcknowledgementView,
    );
  }
}

/** The acknowledgements of the person of `person` that stand, for the measures' `acknowledged` flags. */
export async function standingAcknowledgements(person: PersonScope): Promise<Set<string>> {
  return acknowledgedMeasureIds(await person.all(Acknowledgement, { id: 'ASC' }, { voidedAt: IsNull() }));
}

import { Injectable } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import type { EntityManager } from 'typeorm';
import { addYears, AppConfig, DomainError, type FieldError, isRealDate, type Page } from '@app/common';
import type { Principal } from '@app/authz';
import type { RequestAudit } from '@app/audit';
import { PersonAccess } from './access/person-access';
import type { CreateConvictionDto, UpdateConvictionDto } from './dto/conviction.dto';
import { Conviction, type ConvictedOffence, SENTENCE_KINDS, VICTIM_AGES } from './entities/conviction.entity';
import { Offence } from './entities/offence.entity';
import { sentFields } from './sent-fields';

export class LegalConsequence {
  @ApiProperty({
    enum: [
      'termination_of_public_office',
      'termination_of_employment_with_minors',
      'ban_on_public_office',
      'ban_on_employment_with_minors',
    ],
    example: 'ban_on_employment_with_minors',
  })
  kind!:
    | 'termination_of_public_office'
    | 'termination_of_employment_with_minors'
    | 'ban_on_public_office'
    | 'ban_on_employment_with_minors';

  /** Until when a ban lasts, when the release date is known. */
  @ApiProperty({ type: String, format: 'date', nullable: true, example: '2046-06-30' })
  until!: string | null;
}

export class ConvictedOffenceView implements ConvictedOffence {
  @ApiProperty({ example: '180' })
  article!: string;

  @ApiProperty({ type: Number, nullable: true, example: 2 })
  paragraph!: number | null;
}

export class SentenceView {
  @ApiProperty({ enum: SENTENCE_KINDS, example: 'imprisonment' })
  kind!: string;

  @ApiProperty({ type: Number, nullable: true, example: 36 })
  months!: number | null;
}

export class ConvictionView {
  @ApiProperty({ format: 'uuid', example: 'c2f1a7d4-5b3e-4f6a-8d9c-1e2f3a4b5c6d' })
  id!: string;

  @ApiProperty({ example: 'Viši sud u Nišu' })
  court!: string;

  @ApiProperty({ example: 'K-112/2022' })
  caseNumber!: string;

  @ApiProperty({ format: 'date', example: '2022-11-04' })
  judgmentDate!: string;

  @ApiProperty({ format: 'date', example: '2023-02-10' })
  finalityDate!: string;

  @ApiProperty({ type: () => [ConvictedOffenceView] })
  offences!: ConvictedOffence[];

  @ApiProperty({ enum: VICTIM_AGES, example: 'child' })
  victimAge!: string;

  @ApiProperty({ type: () => SentenceView })
  sentence!: SentenceView;

  /** The expected release. */
  @ApiProperty({ type: String, format: 'date', nullable: true, example: '2026-02-10' })
  releaseDate!: string | null;

  /** When custody began (imprisonment; the finality date unless recorded). */
  @ApiProperty({ type: String, format: 'date', nullable: true, example: '2023-02-10' })
  custodyFrom!: string | null;

  /** The actual release, once recorded (POST /persons/:id/releases). */
  @ApiProperty({ type: String, format: 'date', nullable: true, example: null })
  releasedOn!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'KPZ Niš' })
  releaseFacility!: string | null;

  @ApiProperty({ type: () => [LegalConsequence] })
  legalConsequences!: LegalConsequence[];

  @ApiProperty({ example: 1 })
  version!: number;
}

/** A conviction as shown, with the legal consequences the law attaches to it. */
export function toConvictionView(conviction: Conviction, employmentBanYears: number): ConvictionView {
  // Prison time does not count: the ban runs from release (README, "The domain": consequences of a conviction).
  const release = releaseOf(conviction);
  const banUntil = release ? addYears(release, employmentBanYears) : null;
  return {
    id: conviction.id,
    court: conviction.court,
    caseNumber: conviction.caseNumber,
    judgmentDate: conviction.judgmentDate,
    finalityDate: conviction.finalityDate,
    offences: conviction.offences,
    victimAge: conviction.victimAge,
    sentence: { kind: conviction.sentenceKind, months: conviction.sentenceMonths },
    releaseDate: conviction.releaseDate,
    custodyFrom:
      conviction.sentenceKind === 'imprisonment' ? (conviction.custodyFrom ?? conviction.finalityDate) : null,
    releasedOn: conviction.releasedOn,
    releaseFacility: conviction.releaseFacility,
    legalConsequences: [
      { kind: 'termination_of_public_office', until: null },
      { kind: 'termination_of_employment_with_minors', until: null },
      { kind: 'ban_on_public_office', until: null },
      { kind: 'ban_on_employment_with_minors', until: banUntil },
    ],
    version: conviction.version,
  };
}

/** The release that counts: the actual one once recorded, else the expected one. */
export function releaseOf(conviction: Pick<Conviction, 'releaseDate' | 'releasedOn'>): string | null {
  return conviction.releasedOn ?? conviction.releaseDate;
}

type ConvictionFields = Omit<
  Conviction,
  'id' | 'personId' | 'person' | 'version' | 'createdAt' | 'releasedOn' | 'releaseFacility'
>;

/** Convictions, and the legal consequences the law attaches to each. */
@Injectable()
export class ConvictionsService {
  constructor(
    private readonly access: PersonAccess,
    private readonly config: AppConfig,
  ) {}

  view(conviction: Conviction): ConvictionView {
    return toConvictionView(conviction, this.config.register.employmentBanYears);
  }

  add(
    audit: RequestAudit,
    principal: Principal,
    personId: string,
    input: CreateConvictionDto,
  ): Promise<ConvictionView> {
    audit.on('conviction').subject(personId);
    const fields = this.fieldsOf(input);
    return this.access.within(
      audit,
      principal,
      { action: 'create', on: 'Conviction', personId, lock: true },
      async (person) => {
        await this.assertValid(person.manager, fields);
        return person.create(Conviction, 'conviction', fields, (row) => this.view(row));
      },
    );
  }

  correct(
    audit: RequestAudit,
    principal: Principal,
    personId: string,
    convictionId: string,
    version: number,
    changes: UpdateConvictionDto,
  ): Promise<ConvictionView> {
    audit.on('conviction', convictionId).subject(personId);
    const part = { entity: Conviction, id: convictionId, absent: 'No such conviction.' };
    return this.access.within(
      audit,
      principal,
      { action: 'update', on: 'Conviction', personId, part, lock: true },
      (person) =>
        person.change({
          entity: Conviction,
          part: 'conviction',
          version,
          view: (row) => this.view(row),
          apply: async (conviction) => {
            const { sentence, offences, ...rest } = changes;
            Object.assign(conviction, sentFields(rest));
            if (sentence)
              Object.assign(conviction, { sentenceKind: sentence.kind, sentenceMonths: sentence.months ?? null });
            if (offences)
              conviction.offences = offences.map((o) => ({ article: o.article, paragraph: o.paragraph ?? null }));
            await this.assertValid(person.manager, conviction);
          },
        }),
    );
  }

  list(audit: RequestAudit, principal: Principal, personId: string): Promise<Page<ConvictionView>> {
    return this.access.list(audit, principal, 'conviction', { on: 'Conviction', personId }, async (person) =>
      (await person.all(Conviction, { judgmentDate: 'ASC', id: 'ASC' })).map((row) => this.view(row)),
    );
  }

  private fieldsOf(input: CreateConvictionDto): ConvictionFields {
    return {
      court: input.court,
      caseNumber: input.caseNumber,
      judgmentDate: input.judgmentDate,
      finalityDate: input.finalityDate,
      offences: input.offences.map((o) => ({ article: o.article, paragraph: o.paragraph ?? null })),
      victimAge: input.victimAge,
      sentenceKind: input.sentence.kind,
      sentenceMonths: input.sentence.months ?? null,
      releaseDate: input.releaseDate ?? null,
      custodyFrom: input.custodyFrom ?? null,
    };
  }

  private async assertValid(
    manager: EntityManager,
    c: ConvictionFields & Partial<Pick<Conviction, 'releasedOn'>>,
  ): Promise<void> {
    const errors: FieldError[] = [];
    for (const field of ['judgmentDate', 'finalityDate', 'releaseDate', 'custodyFrom'] as const) {
      const value = c[field];
      if (value && !isRealDate(value)) errors.push({ field, message: 'is not a real date' });
    }
    if (errors.length === 0) {
      if (c.finalityDate < c.judgmentDate)
        errors.push({ field: 'finalityDate', message: 'must not be before judgmentDate' });
      if (c.releaseDate && c.releaseDate < c.judgmentDate) {
        errors.push({ field: 'releaseDate', message: 'must not be before judgmentDate' });
      }
    }
    if (c.custodyFrom && c.sentenceKind !== 'imprisonment') {
      errors.push({ field: 'custodyFrom', message: 'is only for imprisonment' });
    } else if (c.releasedOn && c.sentenceKind !== 'imprisonment') {
      errors.push({ field: 'sentence.kind', message: 'must stay imprisonment: a release is recorded' });
    } else if (errors.length === 0 && c.releasedOn && c.releasedOn < (c.custodyFrom ?? c.judgmentDate)) {
      errors.push({ field: 'custodyFrom', message: `must not be after the recorded release (${c.releasedOn})` });
    } else if (errors.length === 0 && c.custodyFrom && c.releaseDate && c.releaseDate < c.custodyFrom) {
      errors.push({ field: 'releaseDate', message: 'must not be before custodyFrom' });
    }
    if (c.sentenceKind === 'imprisonment' && !c.sentenceMonths) {
      errors.push({ field: 'sentence.months', message: 'is required for imprisonment' });
    }
    const known = new Map((await manager.getRepository(Offence).find()).map((o) => [o.article, o.paragraphs]));
    c.offences.forEach((offence, i) => {
      const paragraphs = known.get(offence.article);
      if (!paragraphs) {
        errors.push({ field: `offences.${i}.article`, message: 'is not an offence covered by the law' });
      } else if (paragraphs.length > 0 && (offence.paragraph === null || !paragraphs.includes(offence.paragraph))) {
        errors.push({
          field: `offences.${i}.paragraph`,
          message: `must be one of ${paragraphs.join(', ')} for article ${offence.article}`,
        });
      }
    });
    if (errors.length > 0) throw DomainError.validation(errors);
  }
}

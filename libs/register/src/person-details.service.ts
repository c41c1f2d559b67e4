import { Injectable } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import type { EntityTarget } from 'typeorm';
import { belgradeToday, DomainError, isRealDate, Answer, versionMismatch } from '@app/common';
import type { Principal } from '@app/authz';
import type { RequestAudit } from '@app/audit';
import { PersonAccess } from './access/person-access';
import type { PersonRow } from './access/person-scope';
import type { DnaReferenceDto, PhysicalDescriptionDto } from './dto/details.dto';
import { DnaReference } from './entities/dna-reference.entity';
import { PhysicalDescription } from './entities/physical-description.entity';

export class DnaReferenceView {
  @ApiProperty({ example: 'NCKF Beograd' })
  laboratory!: string;

  @ApiProperty({ example: 'S-2026-00412' })
  sampleId!: string;

  @ApiProperty({ example: 'RS-DNA-88213' })
  profileReference!: string;

  @ApiProperty({ format: 'date', example: '2026-01-20' })
  collectedOn!: string;

  @ApiProperty({ example: 1 })
  version!: number;
}

export class DistinguishingMarkView {
  @ApiProperty({ example: 'left forearm' })
  bodyPart!: string;

  @ApiProperty({ example: 'tattoo of an anchor, 5 cm' })
  description!: string;
}

export class PhysicalDescriptionView {
  @ApiProperty({ example: 178 })
  heightCm!: number;

  @ApiProperty({ type: Number, nullable: true, example: 82 })
  weightKg!: number | null;

  @ApiProperty({ example: 'brown' })
  eyeColour!: string;

  @ApiProperty({ example: 'black' })
  hairColour!: string;

  @ApiProperty({ type: String, nullable: true, example: 'medium' })
  build!: string | null;

  @ApiProperty({ type: () => [DistinguishingMarkView] })
  distinguishingMarks!: DistinguishingMarkView[];

  @ApiProperty({ example: 1 })
  version!: number;
}

export const dnaView = (d: DnaReference): DnaReferenceView => ({
  laboratory: d.laboratory,
  sampleId: d.sampleId,
  profileReference: d.profileReference,
  collectedOn: d.collectedOn,
  version: d.version,
});

export const descriptionView = (d: PhysicalDescription): PhysicalDescriptionView => ({
  heightCm: d.heightCm,
  weightKg: d.weightKg,
  eyeColour: d.eyeColour,
  hairColour: d.hairColour,
  build: d.build,
  distinguishingMarks: d.distinguishingMarks,
  version: d.version,
});

interface SinglePart<E extends PersonRow & { version: number }, V> {
  entity: EntityTarget<E>;
  on: 'DnaReference' | 'PhysicalDescription';
  part: string;
  view: (row: E) => V;
}

const DNA: SinglePart<DnaReference, DnaReferenceView> = {
  entity: DnaReference,
  on: 'DnaReference',
  part: 'dna_reference',
  view: dnaView,
};
const DESCRIPTION: SinglePart<PhysicalDescription, PhysicalDescriptionView> = {
  entity: PhysicalDescription,
  on: 'PhysicalDescription',
  part: 'physical_description',
  view: descriptionView,
};

/** Parts of which a person has one: created by a PUT, replaced by a PUT with If-Match. */
@Injectable()
export class PersonDetailsService {
  constructor(private readonly access: PersonAccess) {}

  putDnaReference(
    audit: RequestAudit,
    principal: Principal,
    personId: string,
    body: DnaReferenceDto,
    ifMatch: number | null,
  ): Promise<Answer<DnaReferenceView>> {
    if (!isRealDate(body.collectedOn)) {
      throw DomainError.validation([{ field: 'collectedOn', message: 'is not a real date' }]);
    }
    if (body.collectedOn > belgradeToday()) {
      throw DomainError.validation([{ field: 'collectedOn', message: 'must not be in the future' }]);
    }
    return this.put(audit, principal, personId, DNA, { ...body }, ifMatch);
  }

  putPhysicalDescription(
    audit: RequestAudit,
    principal: Principal,
    personId: string,
    body: PhysicalDescriptionDto,
    ifMatch: number | null,
  ): Promise<Answer<PhysicalDescriptionView>> {
    const values = {
      heightCm: body.heightCm,
      weightKg: body.weightKg ?? null,
      eyeColour: body.eyeColour,
      hairColour: body.hairColour,
      build: body.build ?? null,
      distinguishingMarks: body.distinguishingMarks.map((m) => ({ bodyPart: m.bodyPart, description: m.description })),
    };
    return this.put(audit, principal, personId, DESCRIPTION, values, ifMatch);
  }

  private put<E extends PersonRow & { version: number }, V>(
    audit: RequestAudit,
    principal: Principal,
    personId: string,
    spec: SinglePart<E, V>,
    values: Record<string, unknown>,
    ifMatch: number | null,
  ): Promise<Answer<V>> {
    audit.on(spec.part, personId);
    return this.access.within(
      audit,
      principal,
      { action: 'update', on: spec.on, personId, lock: true },
      async (person) => {
        const existing = await person.one(spec.entity);
        if (existing && ifMatch === null) {
          throw new DomainError('precondition_required', 'Replacing needs If-Match with the version you read.');
        }
        if (existing && existing.version !== ifMatch) throw versionMismatch();
        const before = existing ? (spec.view(existing) as Record<string, unknown>) : null;
        const saved = existing
          ? await person.save(spec.entity, Object.assign(existing, values))
          : await person.insert(spec.entity, values as never);
        const view = spec.view(saved);
        await person.history({
          part: spec.part,
          partId: personId,
          change: existing ? 'update' : 'create',
          before,
          after: view as Record<string, unknown>,
        });
        return Answer.put(view, !existing);
      },
    );
  }
}

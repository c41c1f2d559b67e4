import { ApiProperty } from '@nestjs/swagger';
import { COMPLIANCE_STATUSES, ComplianceView } from '@app/compliance';
import { AddressView } from './addresses.service';
import { ConvictionView } from './convictions.service';
import type { Person } from './entities/person.entity';
import { PersonMeasureView } from './measure.views';
import { PhotoView } from './photos.service';
import { WorkplaceView } from './workplaces.service';
import { DnaReferenceView, PhysicalDescriptionView } from './person-details.service';

export class IdentityDocumentView {
  @ApiProperty({ example: 'passport' })
  type!: string;

  @ApiProperty({ example: 'P1234567' })
  number!: string;

  @ApiProperty({ description: 'ISO 3166-1 alpha-2', example: 'BA' })
  issuingCountry!: string;
}

export class CurrentAddresses {
  @ApiProperty({ type: () => AddressView, nullable: true })
  permanent!: AddressView | null;

  @ApiProperty({ type: () => AddressView, nullable: true })
  temporary!: AddressView | null;
}

/** A person with what the caller may see; parts not recorded yet are null or empty. */
export class PersonView {
  @ApiProperty({ format: 'uuid', example: '7a4e2c1b-9d8f-4e3a-b2c1-0f9e8d7c6b5a' })
  id!: string;

  @ApiProperty({ example: 'Petrović' })
  surname!: string;

  @ApiProperty({ example: 'Marko' })
  givenNames!: string;

  @ApiProperty({ type: String, nullable: true, example: 'Jovan' })
  parentNames!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'Serbian citizens: 13 digits', example: '0101990360007' })
  jmbg!: string | null;

  @ApiProperty({ type: () => IdentityDocumentView, nullable: true, description: 'Foreign nationals without a JMBG' })
  identityDocument!: IdentityDocumentView | null;

  @ApiProperty({ format: 'date', example: '1990-01-01' })
  dateOfBirth!: string;

  @ApiProperty({ example: 'Niš' })
  placeOfBirth!: string;

  @ApiProperty({ enum: ['M', 'F'], example: 'M' })
  sex!: 'M' | 'F';

  @ApiProperty({ description: 'ISO 3166-1 alpha-2', example: 'RS' })
  citizenship!: string;

  @ApiProperty({ type: [String], example: ['Марко Петровић'] })
  aliases!: string[];

  @ApiProperty({ type: () => CurrentAddresses })
  currentAddresses!: CurrentAddresses;

  @ApiProperty({ type: () => WorkplaceView, nullable: true })
  currentWorkplace!: WorkplaceView | null;

  @ApiProperty({ type: () => PhysicalDescriptionView, nullable: true })
  physicalDescription!: PhysicalDescriptionView | null;

  @ApiProperty({ type: () => [PhotoView] })
  photos!: PhotoView[];

  @ApiProperty({
    type: () => DnaReferenceView,
    nullable: true,
    required: false,
    description: 'Left out for roles that may not see it',
  })
  dnaReference?: DnaReferenceView | null;

  @ApiProperty({ type: () => [ConvictionView] })
  convictions!: ConvictionView[];

  @ApiProperty({ type: () => [PersonMeasureView] })
  measures!: PersonMeasureView[];

  @ApiProperty({ type: () => ComplianceView })
  compliance!: ComplianceView;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, example: null })
  managingOfficerId!: string | null;

  @ApiProperty({ example: 3 })
  version!: number;
}

export class ListedCompliance {
  @ApiProperty({ enum: [...COMPLIANCE_STATUSES], example: 'compliant' })
  status!: ComplianceView['status'];
}

export class PersonListItem {
  @ApiProperty({ format: 'uuid', example: '7a4e2c1b-9d8f-4e3a-b2c1-0f9e8d7c6b5a' })
  id!: string;

  @ApiProperty({ example: 'Petrović' })
  surname!: string;

  @ApiProperty({ example: 'Marko' })
  givenNames!: string;

  @ApiProperty({ format: 'date', example: '1990-01-01' })
  dateOfBirth!: string;

  @ApiProperty({ type: () => ListedCompliance })
  compliance!: ListedCompliance;
}

/** The recorded personal data (what the history keeps before and after a change). */
export function personalData(person: Person): Record<string, unknown> {
  return {
    surname: person.surname,
    givenNames: person.givenNames,
    parentNames: person.parentNames,
    jmbg: person.jmbg,
    identityDocument: identityDocumentOf(person),
    dateOfBirth: person.dateOfBirth,
    placeOfBirth: person.placeOfBirth,
    sex: person.sex,
    citizenship: person.citizenship,
    aliases: person.aliases,
    managingOfficerId: person.managingOfficerId,
  };
}

export function identityDocumentOf(person: Person): PersonView['identityDocument'] {
  return person.idDocumentType && person.idDocumentNumber && person.idDocumentCountry
    ? { type: person.idDocumentType, number: person.idDocumentNumber, issuingCountry: person.idDocumentCountry }
    : null;
}

/** The parts shown with a person; `dnaReference` is left out (undefined) for roles that may not see it. */
export interface PersonParts {
  currentAddresses: CurrentAddresses;
  currentWorkplace: WorkplaceView | null;
  physicalDescription: PhysicalDescriptionView | null;
  dnaReference?: DnaReferenceView | null;
  convictions: ConvictionView[];
  measures: PersonMeasureView[];
  photos: PhotoView[];
  compliance: ComplianceView;
}

export function toPersonView(person: Person, parts: PersonParts): PersonView {
  return {
    id: person.id,
    surname: person.surname,
    givenNames: person.givenNames,
    parentNames: person.parentNames,
    jmbg: person.jmbg,
    identityDocument: identityDocumentOf(person),
    dateOfBirth: person.dateOfBirth,
    placeOfBirth: person.placeOfBirth,
    sex: person.sex,
    citizenship: person.citizenship,
    aliases: person.aliases,
    currentAddresses: parts.currentAddresses,
    currentWorkplace: parts.currentWorkplace,
    physicalDescription: parts.physicalDescription,
    photos: parts.photos,
    ...(parts.dnaReference !== undefined ? { dnaReference: parts.dnaReference } : {}),
    convictions: parts.convictions,
    measures: parts.measures,
    compliance: parts.compliance,
    managingOfficerId: person.managingOfficerId,
    version: person.version,
  };
}

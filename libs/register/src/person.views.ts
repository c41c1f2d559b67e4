import type { ComplianceView } from '@app/compliance';
import type { AddressView } from './addresses.service';
import type { ConvictionView } from './convictions.service';
import type { Person } from './entities/person.entity';
import type { ShownMeasureView } from './measures.service';
import type { PhotoView } from './photos.service';
import type { WorkplaceView } from './workplaces.service';
import type { DnaReferenceView, PhysicalDescriptionView } from './person-details.service';

/** A person with what the caller may see; parts not recorded yet are null or empty. */
export interface PersonView {
  id: string;
  surname: string;
  givenNames: string;
  parentNames: string | null;
  jmbg: string | null;
  identityDocument: { type: string; number: string; issuingCountry: string } | null;
  dateOfBirth: string;
  placeOfBirth: string;
  sex: 'M' | 'F';
  citizenship: string;
  aliases: string[];
  currentAddresses: CurrentAddresses;
  currentWorkplace: WorkplaceView | null;
  physicalDescription: PhysicalDescriptionView | null;
  photos: PhotoView[];
  dnaReference?: DnaReferenceView | null;
  convictions: ConvictionView[];
  measures: ShownMeasureView[];
  compliance: ComplianceView;
  managingOfficerId: string | null;
  version: number;
}

export interface CurrentAddresses {
  permanent: AddressView | null;
  temporary: AddressView | null;
}

export interface PersonListItem {
  id: string;
  surname: string;
  givenNames: string;
  dateOfBirth: string;
  compliance: Pick<ComplianceView, 'status'>;
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
  measures: ShownMeasureView[];
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

import { Address } from './address.entity';
import { Conviction } from './conviction.entity';
import { DnaReference } from './dna-reference.entity';
import { Measure } from './measure.entity';
import { Offence } from './offence.entity';
import { PersonHistoryEntry } from './person-history.entity';
import { Person } from './person.entity';
import { Photo } from './photo.entity';
import { PhysicalDescription } from './physical-description.entity';
import { Workplace } from './workplace.entity';

export {
  Address,
  Conviction,
  DnaReference,
  Measure,
  Offence,
  Person,
  PersonHistoryEntry,
  PhysicalDescription,
  Workplace,
};
export const REGISTER_ENTITIES = [
  Person,
  PersonHistoryEntry,
  Offence,
  Address,
  DnaReference,
  PhysicalDescription,
  Conviction,
  Measure,
  Workplace,
  Photo,
];

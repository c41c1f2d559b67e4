import { Address } from './address.entity';
import { Offence } from './offence.entity';
import { PersonHistoryEntry } from './person-history.entity';
import { Person } from './person.entity';

export { Address, Offence, Person, PersonHistoryEntry };
export const REGISTER_ENTITIES = [Person, PersonHistoryEntry, Offence, Address];

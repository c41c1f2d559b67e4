import { Acknowledgement } from './acknowledgement.entity';
import { Address } from './address.entity';
import { AddressCheck } from './address-check.entity';
import { Arrival } from './arrival.entity';
import { Breach } from './breach.entity';
import { CheckIn } from './check-in.entity';
import { CounsellingAttendance } from './counselling-attendance.entity';
import { CounsellingInstitution } from './counselling-institution.entity';
import { MeasureSuspension } from './measure-suspension.entity';
import { Notification } from './notification.entity';
import { Transfer } from './transfer.entity';
import { Conviction } from './conviction.entity';
import { Disclosure } from './disclosure.entity';
import { DnaReference } from './dna-reference.entity';
import { Measure } from './measure.entity';
import { Offence } from './offence.entity';
import { OfficeReportingSchedule } from './office-reporting-schedule.entity';
import { ReferenceHistoryEntry } from './reference-history.entity';
import { PersonHistoryEntry } from './person-history.entity';
import { Person } from './person.entity';
import { Photo } from './photo.entity';
import { Place } from './place.entity';
import { PhysicalDescription } from './physical-description.entity';
import { Referral } from './referral.entity';
import { ReferralItem } from './referral-item.entity';
import { Workplace } from './workplace.entity';

export {
  Acknowledgement,
  Address,
  AddressCheck,
  Arrival,
  Breach,
  CheckIn,
  CounsellingAttendance,
  CounsellingInstitution,
  MeasureSuspension,
  Notification,
  Transfer,
  Conviction,
  Disclosure,
  DnaReference,
  Measure,
  Offence,
  OfficeReportingSchedule,
  Person,
  PersonHistoryEntry,
  PhysicalDescription,
  Place,
  ReferenceHistoryEntry,
  Referral,
  ReferralItem,
  Workplace,
};
export const REGISTER_ENTITIES = [
  Person,
  PersonHistoryEntry,
  Offence,
  CounsellingInstitution,
  ReferenceHistoryEntry,
  Place,
  Address,
  Arrival,
  DnaReference,
  PhysicalDescription,
  Conviction,
  Measure,
  OfficeReportingSchedule,
  Workplace,
  Photo,
  MeasureSuspension,
  Transfer,
  CheckIn,
  Notification,
  Breach,
  CounsellingAttendance,
  Acknowledgement,
  AddressCheck,
  Disclosure,
  Referral,
  ReferralItem,
];

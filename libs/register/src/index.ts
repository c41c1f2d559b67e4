import { AcknowledgementsController } from './http/acknowledgements.controller';
import { AddressChecksController } from './http/address-checks.controller';
import { AddressesController } from './http/addresses.controller';
import { CaseFileController } from './http/case-file.controller';
import { ArrivalsController } from './http/arrivals.controller';
import { ConvictionsMeasuresController } from './http/convictions-measures.controller';
import { DisclosuresController, PersonDisclosuresController } from './http/disclosures.controller';
import { MeasureActsController } from './http/measure-acts.controller';
import { ReferralsController } from './http/referrals.controller';
import { ReleasesController } from './http/releases.controller';
import { StatisticsController } from './http/statistics.controller';
import { PersonDetailsController } from './http/person-details.controller';
import { PersonsController } from './http/persons.controller';
import { PhotosController } from './http/photos.controller';
import { ReferenceController } from './http/reference.controller';
import { WorkplacesController } from './http/workplaces.controller';
import { VettingRequestsController, VettingVerificationController } from './http/vetting.controller';

export * from './access/disclosure-records';
export * from './access/person-access';
export * from './access/person-lookup';
export * from './access/person-read-model';
export type { HistoryEntry, PartRow, PersonRow, PersonScope } from './access/person-scope';
export * from './access/person-search';
export * from './acknowledgements.service';
export * from './address-checks.service';
export * from './addresses.service';
export * from './arrival.views';
export * from './arrivals.service';
export type * from './access/case-file-read-model';
export * from './case-file.service';
export * from './convictions.service';
export * from './demo-register';
export * from './disclosure-package';
export * from './disclosure.views';
export * from './disclosures.service';
export * from './entities';
export * from './breaches.service';
export * from './measure-acts.service';
export * from './measure.views';
export * from './measures.service';
export * from './notifications.service';
export * from './entities/person.entity';
export * from './jmbg';
export * from './measure-types';
export * from './names';
export * from './person-details.service';
export * from './person.views';
export * from './persons.service';
export * from './photos.service';
export * from './places.service';
export * from './places/csv';
export * from './referrals.service';
export * from './statistics.service';
export * from './statistics.views';
export type { PersonGrouping, StatisticsQuery } from './access/statistics-read-model';
export { StatisticsDays } from './access/statistics-stocks';
export * from './register-jobs.module';
export * from './register.module';
export * from './workplaces.service';
export * from './vetting/vetting.service';
export { canonicalCertificateNumber, newCertificateNumber } from './vetting/certificate-number';

/** Registered by the api only. */
export const REGISTER_CONTROLLERS = [
  PersonsController,
  AddressesController,
  AddressChecksController,
  ArrivalsController,
  PersonDetailsController,
  ConvictionsMeasuresController,
  WorkplacesController,
  PhotosController,
  ReferenceController,
  MeasureActsController,
  AcknowledgementsController,
  ReleasesController,
  PersonDisclosuresController,
  DisclosuresController,
  VettingRequestsController,
  VettingVerificationController,
  ReferralsController,
  CaseFileController,
  StatisticsController,
];

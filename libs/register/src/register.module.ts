import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule, ReplayAccess } from '@app/audit';
import { AuthzModule } from '@app/authz';
import { AppConfig, CommonModule } from '@app/common';
import { ComplianceModule } from '@app/compliance';
import { AcknowledgementsService } from './acknowledgements.service';
import { AddressChecksService } from './address-checks.service';
import { AddressesService } from './addresses.service';
import { ArrivalsService } from './arrivals.service';
import { CaseFileService } from './case-file.service';
import { ConvictionsService } from './convictions.service';
import { DisclosureRecords } from './access/disclosure-records';
import { DisclosuresService } from './disclosures.service';
import { REGISTER_ENTITIES } from './entities';
import { MeasureActsService } from './measure-acts.service';
import { BreachesService } from './breaches.service';
import { CounsellingService } from './counselling.service';
import { MeasuresService } from './measures.service';
import { NotificationsService } from './notifications.service';
import { PersonDetailsService } from './person-details.service';
import { PersonAccess } from './access/person-access';
import { PersonLookup } from './access/person-lookup';
import { PersonReadModel } from './access/person-read-model';
import { PersonSearch } from './access/person-search';
import { PersonsService } from './persons.service';
import { PhotosService } from './photos.service';
import { ReferenceService } from './reference.service';
import { PlacesService } from './places.service';
import { ReferralsService } from './referrals.service';
import { ReleasesService } from './releases.service';
import { StatisticsReadModel } from './access/statistics-read-model';
import { StatisticsService } from './statistics.service';
import { WorkplacesService } from './workplaces.service';
import { VettingCheck } from './access/vetting-check';
import { loadVettingKeys, VettingKeys } from './vetting/vetting-keys';
import { VettingService } from './vetting/vetting.service';

const SERVICES = [
  PersonAccess,
  PersonReadModel,
  PersonSearch,
  PersonLookup,
  AddressesService,
  AddressChecksService,
  ArrivalsService,
  PersonDetailsService,
  ConvictionsService,
  MeasuresService,
  PersonsService,
  ReferenceService,
  PlacesService,
  WorkplacesService,
  PhotosService,
  MeasureActsService,
  BreachesService,
  CounsellingService,
  NotificationsService,
  AcknowledgementsService,
  ReleasesService,
  DisclosureRecords,
  DisclosuresService,
  VettingCheck,
  VettingService,
  ReferralsService,
  CaseFileService,
  StatisticsReadModel,
  StatisticsService,
];

/** Persons and everything under them. The api adds the controllers (REGISTER_CONTROLLERS). */
@Module({
  imports: [TypeOrmModule.forFeature(REGISTER_ENTITIES), CommonModule, AuthzModule, AuditModule, ComplianceModule],
  providers: [
    ...SERVICES,
    { provide: ReplayAccess, useExisting: PersonAccess },
    { provide: VettingKeys, inject: [AppConfig], useFactory: loadVettingKeys },
  ],
  exports: [...SERVICES, ReplayAccess],
})
export class RegisterModule {}

import { Module } from '@nestjs/common';
import { AddressesService } from './addresses.service';
import { ConvictionsService } from './convictions.service';
import { MeasureActsService } from './measure-acts.service';
import { MeasuresService } from './measures.service';
import { NotificationsService } from './notifications.service';
import { PersonDetailsService } from './person-details.service';
import { PersonRecords } from './person-records';
import { PersonsService } from './persons.service';
import { PhotosService } from './photos.service';
import { ReferenceService } from './reference.service';
import { WorkplacesService } from './workplaces.service';

const SERVICES = [
  PersonRecords,
  AddressesService,
  PersonDetailsService,
  ConvictionsService,
  MeasuresService,
  PersonsService,
  ReferenceService,
  WorkplacesService,
  PhotosService,
  MeasureActsService,
  NotificationsService,
];

/** Persons and everything under them. The api adds the controllers (REGISTER_CONTROLLERS). */
@Module({
  providers: SERVICES,
  exports: SERVICES,
})
export class RegisterModule {}

import { Module } from '@nestjs/common';
import { AddressesService } from './addresses.service';
import { PersonRecords } from './person-records';
import { PersonsService } from './persons.service';

/** Persons and everything under them. The api adds the controllers (REGISTER_CONTROLLERS). */
@Module({
  providers: [PersonRecords, AddressesService, PersonsService],
  exports: [PersonsService, AddressesService],
})
export class RegisterModule {}

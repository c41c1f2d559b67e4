import { Module } from '@nestjs/common';
import { PersonsService } from './persons.service';

/** Persons and everything under them. The api adds the controllers (REGISTER_CONTROLLERS). */
@Module({
  providers: [PersonsService],
  exports: [PersonsService],
})
export class RegisterModule {}

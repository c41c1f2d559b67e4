import { Module } from '@nestjs/common';
import { AbilityFactory } from './ability.factory';
import { RecordAccess } from './record-access';

@Module({
  providers: [AbilityFactory, RecordAccess],
  exports: [AbilityFactory, RecordAccess],
})
export class AuthzModule {}

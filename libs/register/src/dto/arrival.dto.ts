import { ApiProperty } from '@nestjs/swagger';
import { IsIsoDate, IsPoliceAdministrationCode } from '@app/common';

export class CreateArrivalDto {
  @ApiProperty({ example: 'PU-NIS', description: 'Where the person is arriving' })
  @IsPoliceAdministrationCode()
  policeAdministration: string;

  @ApiProperty({ example: '2026-12-31', description: 'The last day an address may be recorded through it' })
  @IsIsoDate()
  validUntil: string;
}

import { ApiProperty } from '@nestjs/swagger';
import type { Arrival } from './entities/arrival.entity';

export class ArrivalView {
  @ApiProperty({ format: 'uuid', example: 'c2f1a7d4-5b3e-4f6a-8d9c-1e2f3a4b5c6d' })
  id!: string;

  @ApiProperty({ example: 'PU-NIS' })
  policeAdministration!: string;

  @ApiProperty({ format: 'date', example: '2026-03-10' })
  validUntil!: string;

  @ApiProperty({ format: 'uuid', example: '5d6e7f80-1a2b-4c3d-8e4f-9a0b1c2d3e4f' })
  announcedBy!: string;

  @ApiProperty({ example: '2026-02-23T09:00:00.000Z' })
  announcedAt!: Date;

  @ApiProperty({ type: Date, nullable: true, example: null })
  closedAt!: Date | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, example: null })
  recordedAddressId!: string | null;
}

export const toArrivalView = (a: Arrival): ArrivalView => ({
  id: a.id,
  policeAdministration: a.policeAdministration,
  validUntil: a.validUntil,
  announcedBy: a.announcedBy,
  announcedAt: a.announcedAt,
  closedAt: a.closedAt,
  recordedAddressId: a.recordedAddressId,
});

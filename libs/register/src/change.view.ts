import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** Who made a change, as the audit event names them (empty for the register's own changes). */
export class ChangeActorView {
  @ApiPropertyOptional({ format: 'uuid', example: '5d6e7f80-1a2b-4c3d-8e4f-9a0b1c2d3e4f' })
  userId?: string;

  @ApiPropertyOptional({ example: 'm.jovanovic' })
  username?: string;

  @ApiPropertyOptional({ example: 'registry_clerk' })
  role?: string;
}

/** One change as a history shows it: when, by whom, why, and the values before and after. */
export class ChangeView {
  @ApiProperty({ format: 'date-time', example: '2026-02-23T09:15:00.000Z' })
  at!: string;

  @ApiProperty({ type: () => ChangeActorView, description: 'Who made the change, as the audit event names them' })
  actor!: ChangeActorView;

  @ApiProperty({ type: String, nullable: true, example: 'KU-123/2026' })
  reason!: string | null;

  @ApiProperty({ example: 'update' })
  change!: string;

  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, example: { street: 'Obrenovićeva 10' } })
  before!: Record<string, unknown> | null;

  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, example: { street: 'Obrenovićeva 12' } })
  after!: Record<string, unknown> | null;
}

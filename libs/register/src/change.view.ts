import { ApiProperty } from '@nestjs/swagger';

/** One change as a history shows it: when, by whom, why, and the values before and after. */
export class ChangeView {
  @ApiProperty({ format: 'date-time', example: '2026-02-23T09:15:00.000Z' })
  at!: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'Who made the change, as the audit event names them',
    example: { userId: '5d6e7f80-1a2b-4c3d-8e4f-9a0b1c2d3e4f', username: 'm.jovanovic', role: 'registry_clerk' },
  })
  actor!: Record<string, unknown>;

  @ApiProperty({ type: String, nullable: true, example: 'KU-123/2026' })
  reason!: string | null;

  @ApiProperty({ example: 'update' })
  change!: string;

  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, example: { street: 'Obrenovićeva 10' } })
  before!: Record<string, unknown> | null;

  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, example: { street: 'Obrenovićeva 12' } })
  after!: Record<string, unknown> | null;
}

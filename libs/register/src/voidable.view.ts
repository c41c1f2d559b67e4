import { ApiProperty } from '@nestjs/swagger';

/** What every voidable record shows: who voided it, when and why (null while it stands), and its version. */
export class VoidableView {
  @ApiProperty({ type: Date, nullable: true, example: null })
  voidedAt!: Date | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, example: null })
  voidedBy!: string | null;

  @ApiProperty({ type: String, nullable: true, example: null })
  voidReason!: string | null;

  @ApiProperty({ example: 1 })
  version!: number;
}

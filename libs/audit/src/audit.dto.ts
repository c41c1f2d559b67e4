import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Min,
  ValidateNested,
} from 'class-validator';
import { PageQuery } from '@app/common';

const toBoolean = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

/** A date (`2026-11-28`, the whole day in Europe/Belgrade) or a timestamp with offset. */
const DATE_OR_TIMESTAMP = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2}))?$/;

export class AuditEventQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  actorId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 100)
  actorUsername?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  subjectId?: string;

  @ApiPropertyOptional({ description: '13 digits; the lookup is itself audited' })
  @IsOptional()
  @Matches(/^\d{13}$/, { message: 'subjectJmbg must be 13 digits' })
  subjectJmbg?: string;

  @ApiPropertyOptional({ example: 'person.read' })
  @IsOptional()
  @Matches(/^[a-z_]+\.[a-z_]+$/, { message: 'action must look like person.read' })
  action?: string;

  @ApiPropertyOptional({ enum: ['allowed', 'denied', 'error'] })
  @IsOptional()
  @IsIn(['allowed', 'denied', 'error'])
  outcome?: string;

  @ApiPropertyOptional({ enum: ['true', 'false'] })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'flagged must be true or false' })
  flagged?: boolean;

  @ApiPropertyOptional({ enum: ['true', 'false'] })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'reviewed must be true or false' })
  reviewed?: boolean;

  @ApiPropertyOptional({ example: '2026-11-01' })
  @IsOptional()
  @Matches(DATE_OR_TIMESTAMP, { message: 'from must be a date or a timestamp with offset' })
  from?: string;

  @ApiPropertyOptional({ example: '2026-11-28' })
  @IsOptional()
  @Matches(DATE_OR_TIMESTAMP, { message: 'to must be a date or a timestamp with offset' })
  to?: string;
}

export class ExportQuery {
  @ApiProperty({ example: '2026-11-01' })
  @Matches(DATE_OR_TIMESTAMP, { message: 'from must be a date or a timestamp with offset' })
  from: string;

  @ApiProperty({ example: '2026-11-28' })
  @Matches(DATE_OR_TIMESTAMP, { message: 'to must be a date or a timestamp with offset' })
  to: string;

  @ApiPropertyOptional({ description: 'Who receives the export (default: your organisation)' })
  @IsOptional()
  @IsString()
  @Length(2, 200)
  recipient?: string;
}

export class ReviewDto {
  @ApiProperty({ example: 'Checked with the officer: case KT-123/2026.' })
  @IsString()
  @Length(1, 2000)
  note: string;
}

export class CheckpointDto {
  @ApiProperty()
  @IsInt()
  @Min(1)
  sealedThrough: number;

  @ApiProperty()
  @IsInt()
  @Min(1)
  treeSize: number;

  @ApiProperty()
  @Matches(/^[0-9a-f]{64}$/, { message: 'root must be 64 hex characters' })
  root: string;

  @ApiProperty()
  @IsISO8601()
  signedAt: string;

  @ApiProperty()
  @IsString()
  @Length(1, 100)
  keyId: string;

  @ApiProperty()
  @Matches(/^[A-Za-z0-9_-]{80,100}$/, { message: 'signature must be base64url' })
  signature: string;
}

export class VerifyDto {
  @ApiProperty({ type: CheckpointDto })
  @IsObject()
  @ValidateNested()
  @Type(() => CheckpointDto)
  checkpoint: CheckpointDto;
}

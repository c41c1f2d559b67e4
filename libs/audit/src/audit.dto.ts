import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsFreeText, IsIsoDateOrTimestamp, IsIsoTimestamp, PageQuery } from '@app/common';

const toBoolean = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

export class AuditEventQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  actorId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @IsFreeText()
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

  @ApiPropertyOptional({
    example: '2026-11-01',
    description: 'A date (the whole day in Europe/Belgrade) or a timestamp with offset',
  })
  @IsOptional()
  @IsIsoDateOrTimestamp()
  from?: string;

  @ApiPropertyOptional({ example: '2026-11-28' })
  @IsOptional()
  @IsIsoDateOrTimestamp()
  to?: string;
}

export class ExportQuery {
  @ApiProperty({ example: '2026-11-01' })
  @IsIsoDateOrTimestamp()
  from: string;

  @ApiProperty({ example: '2026-11-28' })
  @IsIsoDateOrTimestamp()
  to: string;

  @ApiPropertyOptional({ description: 'Who receives the export (default: your organisation)' })
  @IsOptional()
  @IsString()
  @IsFreeText()
  @Length(2, 200)
  recipient?: string;
}

export class ReviewDto {
  @ApiProperty({ example: 'Checked with the officer: case KT-123/2026.' })
  @IsString()
  @IsFreeText({ multiline: true })
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
  @IsIsoTimestamp()
  signedAt: string;

  @ApiProperty()
  @IsString()
  @IsFreeText()
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

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsEmail, IsIn, IsOptional, IsString, Length, Matches, ValidateIf } from 'class-validator';
import { PageQuery } from '@app/common';
import { type Role, ROLES } from '@app/authz';

const USERNAME = /^[A-Za-z0-9._-]{3,64}$/;
const REGION = /^PU-[A-Z]+(-[A-Z]+)*$/;

export class CreateUserDto {
  @ApiProperty({ example: 'p.petrovic', pattern: USERNAME.source })
  @Matches(USERNAME, { message: 'username must be 3-64 letters, digits, dots, dashes or underscores' })
  username: string;

  @ApiProperty({ format: 'password', minLength: 12, maxLength: 128 })
  @IsString()
  @Length(1, 1024)
  password: string;

  @ApiProperty({ example: 'Petar Petrović' })
  @IsString()
  @Length(1, 200)
  displayName: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role: Role;

  @ApiProperty({ example: 'MUP, PU za grad Beograd' })
  @IsString()
  @Length(1, 200)
  organisation: string;

  @ApiPropertyOptional({ example: 'PU-BEOGRAD', description: 'Police administration; police officers only' })
  @IsOptional()
  @Matches(REGION, { message: 'region must be a police administration code such as PU-BEOGRAD' })
  region?: string;

  @ApiPropertyOptional({ example: 'p.petrovic@mup.gov.rs' })
  @IsOptional()
  @IsEmail()
  email?: string;
}

export class UpdateUserDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 200)
  displayName?: string;

  @ApiPropertyOptional({ enum: ROLES })
  @IsOptional()
  @IsIn(ROLES)
  role?: Role;

  @ApiPropertyOptional({ nullable: true })
  @ValidateIf((_, value) => value !== null)
  @IsOptional()
  @Matches(REGION, { message: 'region must be a police administration code such as PU-BEOGRAD' })
  region?: string | null;

  @ApiPropertyOptional({ nullable: true })
  @ValidateIf((_, value) => value !== null)
  @IsOptional()
  @IsEmail()
  email?: string | null;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

export class UserQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ROLES })
  @IsOptional()
  @IsIn(ROLES)
  role?: Role;

  @ApiPropertyOptional({ example: 'PU-NIS' })
  @IsOptional()
  @Matches(REGION, { message: 'region must be a police administration code such as PU-BEOGRAD' })
  region?: string;

  @ApiPropertyOptional({ enum: ['true', 'false'] })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'active must be true or false' })
  active?: boolean;
}

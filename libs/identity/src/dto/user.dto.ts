import { ApiProperty, ApiPropertyOptional, IntersectionType, PickType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsEmail, IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { IsFreeText, IsPoliceAdministrationCode, IsUiksOfficeCode, PageQuery, UpdateType } from '@app/common';
import { type Role, ROLES } from '@app/authz';

const USERNAME = /^[A-Za-z0-9._-]{3,64}$/;

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
  @IsFreeText()
  @Length(1, 200)
  displayName: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role: Role;

  @ApiProperty({ example: 'MUP, PU za grad Beograd' })
  @IsString()
  @IsFreeText()
  @Length(1, 200)
  organisation: string;

  @ApiPropertyOptional({ example: 'PU-BEOGRAD', description: 'Police administration; police officers only' })
  @IsOptional()
  @IsPoliceAdministrationCode({ suchAs: 'PU-BEOGRAD' })
  region?: string;

  @ApiPropertyOptional({
    example: 'UIKS-NIS',
    description: 'UIKS office (GET /reference/uiks-offices); registry clerks only, none: national reach',
  })
  @IsOptional()
  @IsUiksOfficeCode()
  office?: string;

  @ApiPropertyOptional({ example: 'p.petrovic@mup.gov.rs' })
  @IsOptional()
  @IsFreeText()
  @IsEmail()
  email?: string;
}

/** Whether the account may sign in: set by an update only. */
class AccountActivity {
  @ApiProperty()
  @IsBoolean()
  active: boolean;
}

/**
 * An update of an account: its name, role, region, office, e-mail (region,
 * office and e-mail may be cleared with null) and activity.
 */
export class UpdateUserDto extends UpdateType(
  IntersectionType(
    PickType(CreateUserDto, ['displayName', 'role', 'region', 'office', 'email'] as const),
    AccountActivity,
  ),
  ['region', 'office', 'email'],
) {}

export class UserQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ROLES })
  @IsOptional()
  @IsIn(ROLES)
  role?: Role;

  @ApiPropertyOptional({ example: 'PU-NIS' })
  @IsOptional()
  @IsPoliceAdministrationCode({ suchAs: 'PU-BEOGRAD' })
  region?: string;

  @ApiPropertyOptional({ enum: ['true', 'false'] })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'active must be true or false' })
  active?: boolean;
}

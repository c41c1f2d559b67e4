import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length, Matches } from 'class-validator';
import { IsFreeText } from '@app/common';

export class LoginDto {
  @ApiProperty({ example: 'p.petrovic' })
  @IsString()
  @IsFreeText()
  @Length(1, 64)
  username: string;

  @ApiProperty({ format: 'password' })
  @IsString()
  @Length(1, 1024)
  password: string;

  @ApiPropertyOptional({ description: 'Current TOTP code, for accounts with an authenticator', example: '123456' })
  @IsOptional()
  @IsString()
  @Length(1, 12)
  otp?: string;
}

export class RefreshDto {
  @ApiProperty()
  @IsString()
  @Length(1, 200)
  refreshToken: string;
}

export class ChangePasswordDto {
  @ApiProperty({ format: 'password' })
  @IsString()
  @Length(1, 1024)
  currentPassword: string;

  @ApiProperty({ format: 'password', minLength: 12, maxLength: 128 })
  @IsString()
  @Length(1, 1024)
  newPassword: string;
}

export class EnrollMfaDto {
  @ApiPropertyOptional({ description: 'A current code from the authenticator already enrolled, when re-enrolling' })
  @IsOptional()
  @IsString()
  @Length(1, 12)
  otp?: string;
}

export class ActivateMfaDto {
  @ApiProperty({ example: '123456' })
  @IsString()
  @Matches(/^\d{6}$/, { message: 'otp must be 6 digits' })
  otp: string;
}

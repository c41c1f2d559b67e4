import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';

/** A police administration's code (PU-NIS, PU-NOVI-SAD): the pattern of the reference table's check constraint. */
export const POLICE_ADMINISTRATION_CODE = /^PU-[A-Z]+(-[A-Z]+)*$/;

export interface PoliceAdministrationCodeOptions {
  /** The code the default message gives as an example. */
  suchAs?: string;
  /** A message of its own, where the field's wording differs. */
  message?: string;
}

/**
 * The shape of a police administration code, checked and documented (its
 * pattern joins the field's own `@ApiProperty`). Whether the administration
 * exists is the service's check.
 */
export function IsPoliceAdministrationCode(options: PoliceAdministrationCodeOptions = {}): PropertyDecorator {
  const message =
    options.message ?? `$property must be a police administration code such as ${options.suchAs ?? 'PU-NIS'}`;
  return applyDecorators(
    ApiProperty({ pattern: POLICE_ADMINISTRATION_CODE.source }),
    Matches(POLICE_ADMINISTRATION_CODE, { message }),
  );
}

import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';

/** A UIKS office's code (UIKS-NIS, UIKS-NOVI-SAD): the pattern of the reference table's check constraint. */
export const UIKS_OFFICE_CODE = /^UIKS-[A-Z]+(-[A-Z]+)*$/;

/**
 * The shape of a UIKS office code, checked and documented. Whether the office
 * exists (and is active) is the service's check.
 */
export function IsUiksOfficeCode(): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ pattern: UIKS_OFFICE_CODE.source }),
    Matches(UIKS_OFFICE_CODE, { message: '$property must be a UIKS office code such as UIKS-NIS' }),
  );
}

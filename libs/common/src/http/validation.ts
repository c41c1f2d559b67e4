import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { DomainError, type FieldError } from '../errors/domain-error';

/** Flattens nested class-validator errors to `{field, message}` with dotted paths. */
export function toFieldErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([rule, message]) => ({
      field,
      message: rule === 'whitelistValidation' ? 'is not a known property' : message,
    }));
    return [...own, ...toFieldErrors(error.children ?? [], field)];
  });
}

/** The contract's validation: unknown properties are refused, never dropped; values are transformed. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    stopAtFirstError: false,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => DomainError.validation(toFieldErrors(errors)),
  });
}

/**
 * Validates a nested part of a body whose shape depends on another field
 * (e.g. a notification's `details`), as the pipe would: unknown properties
 * refused, errors named by their path under `field`.
 */
export function validateNested<T extends object>(type: new () => T, value: unknown, field: string): T {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw DomainError.validation([{ field, message: 'must be an object' }]);
  }
  const instance = plainToInstance(type, value);
  const errors = validateSync(instance, {
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    validationError: { target: false, value: false },
  });
  if (errors.length) throw DomainError.validation(toFieldErrors(errors, field));
  return instance;
}

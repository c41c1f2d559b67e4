import 'reflect-metadata';
import { type ClassConstructor, plainToInstance } from 'class-transformer';
import { type ValidationError, validateSync } from 'class-validator';
import { RegisterEnvironment } from './register-environment';
import { SecurityEnvironment } from './security-environment';
import { ServiceEnvironment } from './service-environment';

/**
 * Every environment variable the service reads, with its rule, in three
 * parts by concern. `.env.example` documents the same list; a value that
 * breaks a rule stops start-up.
 */
export type Environment = ServiceEnvironment & SecurityEnvironment & RegisterEnvironment;

/** The parts, in the order their variables are checked (and the first fault reported). */
const PARTS: ClassConstructor<object>[] = [ServiceEnvironment, SecurityEnvironment, RegisterEnvironment];

/** A configuration fault: the variable and what is wrong with it, in one line. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    readonly problem: string,
  ) {
    super(`${variable}: ${problem}`);
    this.name = 'ConfigError';
  }
}

const TYPE_RULES = ['isInt', 'isBoolean', 'matches', 'isIn', 'isString'];

export function validateEnvironment(raw: Record<string, string | undefined>): Environment {
  const env = {} as Environment;
  for (const part of PARTS) {
    // whitelist drops every variable that is not the part's own.
    const values = plainToInstance(part, { ...raw });
    const errors = validateSync(values, { whitelist: true, forbidUnknownValues: true });
    if (errors.length > 0) throw configError(errors[0]);
    Object.assign(env, values);
  }
  return env;
}

function configError(first: ValidationError): ConfigError {
  const constraints = first.constraints ?? {};
  // The type rule says more than a range rule about a value like "abc".
  const rule = TYPE_RULES.find((name) => name in constraints) ?? Object.keys(constraints)[0];
  const message = (rule && constraints[rule]) || 'is not valid';
  // class-validator prefixes messages with the property name; keep only the rule.
  return new ConfigError(first.property, message.replace(new RegExp(`^${first.property}\\s+`), ''));
}

import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { toInteger, emptyToUndefined } from './environment-values';

/** Identity (tokens, sessions, sign-in, second factor) and the audit log's keys and sealing. */
export class SecurityEnvironment {
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  JWT_SIGNING_KEY_FILE?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  JWT_VERIFY_KEY_FILES?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^[\x21-\x7e]{1,200}$/, { message: 'must be printable ASCII without spaces' })
  JWT_ISSUER?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^[\x21-\x7e]{1,200}$/, { message: 'must be printable ASCII without spaces' })
  JWT_AUDIENCE?: string;

  @Transform(toInteger)
  @IsOptional()
  @IsInt({ message: 'must be a whole number of seconds' })
  @Min(60)
  @Max(3600)
  ACCESS_TOKEN_TTL_SECONDS?: number;

  @Transform(toInteger)
  @IsOptional()
  @IsInt({ message: 'must be a whole number of minutes' })
  @Min(1)
  @Max(24 * 60)
  SESSION_IDLE_MINUTES?: number;

  @Transform(toInteger)
  @IsOptional()
  @IsInt({ message: 'must be a whole number of hours' })
  @Min(1)
  @Max(168)
  SESSION_MAX_HOURS?: number;

  @Transform(toInteger)
  @IsOptional()
  @IsInt({ message: 'must be a whole number' })
  @Min(1)
  @Max(100)
  LOGIN_MAX_FAILURES?: number;

  @Transform(toInteger)
  @IsOptional()
  @IsInt({ message: 'must be a whole number of minutes' })
  @Min(1)
  @Max(24 * 60)
  LOGIN_LOCK_MINUTES?: number;

  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsOptional()
  @Matches(
    /^$|^(admin|registry_clerk|police_officer|judicial_officer|auditor|vetting_officer)(,(admin|registry_clerk|police_officer|judicial_officer|auditor|vetting_officer))*$/,
    {
      message:
        'must be a comma-separated list of roles (admin, registry_clerk, police_officer, judicial_officer, auditor, vetting_officer) or empty',
    },
  )
  MFA_REQUIRED_ROLES?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  MFA_ENCRYPTION_KEY_FILE?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  MFA_ISSUER?: string;

  @Transform(toInteger)
  @IsOptional()
  @IsInt({ message: 'must be a whole number of milliseconds' })
  @Min(100)
  @Max(5_000)
  REVOCATION_REFRESH_MS?: number;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  AUDIT_SEALING_KEY_FILE?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  AUDIT_VERIFY_KEY_FILES?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  AUDIT_HASH_KEY_FILE?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  AUDIT_CHECKPOINT_DIR?: string;

  @Transform(toInteger)
  @IsOptional()
  @IsInt({ message: 'must be a whole number of milliseconds' })
  @Min(100)
  @Max(3_600_000)
  AUDIT_SEAL_INTERVAL_MS?: number;

  @Transform(toInteger)
  @IsOptional()
  @IsInt({ message: 'must be a whole number of seconds' })
  @Min(1)
  @Max(86_400)
  AUDIT_UNSEALED_TOLERANCE_SECONDS?: number;

  @Transform(toInteger)
  @IsOptional()
  @IsInt({ message: 'must be a whole number' })
  @Min(1)
  @Max(1_000_000)
  AUDIT_MAX_EVENTS_PER_SEAL?: number;
}

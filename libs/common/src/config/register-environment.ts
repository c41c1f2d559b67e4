import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { toInteger, emptyToUndefined } from './environment-values';

/** The register's rules: quotas, vetting, statistics, measures and compliance, notices, mail. */
export class RegisterEnvironment {
  @Transform(toInteger)
  @IsOptional()
  @IsInt({ message: 'must be a whole number' })
  @Min(1)
  @Max(100_000)
  LOOKUP_QUOTA_PER_HOUR?: number;

  @Transform(toInteger)
  @IsOptional()
  @IsInt({ message: 'must be a whole number' })
  @Min(1)
  @Max(100_000)
  LOOKUP_ALERT_THRESHOLD?: number;

  @Transform(toInteger)
  @IsOptional()
  @IsInt({ message: 'must be a whole number' })
  @Min(1)
  @Max(100_000)
  SUBJECT_SEARCH_QUOTA_PER_HOUR?: number;

  @Transform(toInteger)
  @IsOptional()
  @IsInt({ message: 'must be a whole number of days' })
  @Min(1)
  @Max(366)
  VETTING_CERTIFICATE_VALID_DAYS?: number;

  @Transform(toInteger)
  @IsOptional()
  @IsInt({ message: 'must be a whole number' })
  @Min(1)
  @Max(1000)
  STATISTICS_MIN_CELL?: number;

  @Transform(toInteger)
  @IsOptional()
  @IsInt({ message: 'must be a whole number' })
  @Min(1)
  @Max(10_000_000)
  VETTING_VERIFY_PER_MINUTE?: number;

  @Transform(toInteger)
  @IsOptional()
  @IsInt({ message: 'must be a whole number' })
  @Min(1)
  @Max(100_000)
  VETTING_MAX_PER_EMPLOYER_DAY?: number;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  VETTING_HASH_KEY_FILE?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsIn(['invalid', 'zero'], { message: 'must be invalid or zero' })
  JMBG_REMAINDER_ONE?: string;

  @Transform(toInteger)
  @IsOptional()
  @IsInt({ message: 'must be a whole number of years' })
  @Min(1)
  @Max(100)
  MEASURE_MAX_YEARS?: number;

  @Transform(toInteger)
  @IsOptional()
  @IsInt({ message: 'must be a whole number of days' })
  @Min(1)
  @Max(366)
  REPORTING_EVERY_DAYS?: number;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsIn(['every_days', 'monthly'], { message: 'must be every_days or monthly' })
  REPORTING_DEFAULT_SCHEDULE?: 'every_days' | 'monthly';

  @Transform(toInteger)
  @IsOptional()
  @IsInt({ message: 'must be a whole number of years' })
  @Min(1)
  @Max(100)
  EMPLOYMENT_BAN_YEARS?: number;

  @Transform(toInteger)
  @IsOptional()
  @IsInt({ message: 'must be a whole number of hours' })
  @Min(0)
  @Max(720)
  COMPLIANCE_GRACE_HOURS?: number;

  @Transform(toInteger)
  @IsOptional()
  @IsInt({ message: 'must be a whole number of days' })
  @Min(1)
  @Max(366)
  COMPLIANCE_DUE_SOON_DAYS?: number;

  @Transform(toInteger)
  @IsOptional()
  @IsInt({ message: 'must be a whole number of days' })
  @Min(0)
  @Max(366)
  NOTIFY_CHANGE_DAYS?: number;

  @Transform(toInteger)
  @IsOptional()
  @IsInt({ message: 'must be a whole number of days' })
  @Min(0)
  @Max(366)
  TRAVEL_NOTICE_DAYS?: number;

  @Transform(toInteger)
  @IsOptional()
  @IsInt({ message: 'must be a whole number of days' })
  @Min(0)
  @Max(366)
  TRAVEL_RETURN_GRACE_DAYS?: number;

  @Transform(toInteger)
  @IsOptional()
  @IsInt({ message: 'must be a whole number of days' })
  @Min(0)
  @Max(366)
  REMINDER_DAYS_BEFORE?: number;

  @Transform(toInteger)
  @IsOptional()
  @IsInt({ message: 'must be a whole number of days' })
  @Min(0)
  @Max(366)
  MEASURE_ENDING_DAYS?: number;

  @Transform(toInteger)
  @IsOptional()
  @IsInt({ message: 'must be a whole number of days' })
  @Min(0)
  @Max(366)
  RELEASE_PREPARE_DAYS?: number;

  @Transform(toInteger)
  @IsOptional()
  @IsInt({ message: 'must be a whole number of seconds' })
  @Min(1)
  @Max(86400)
  COMPLIANCE_SCAN_INTERVAL_SECONDS?: number;

  @Transform(toInteger)
  @IsOptional()
  @IsInt({ message: 'must be a whole number of days' })
  @Min(1)
  @Max(3660)
  COMPLIANCE_SCAN_LOOKBACK_DAYS?: number;

  @Transform(toInteger)
  @IsOptional()
  @IsInt({ message: 'must be a whole number of metres' })
  @Min(1)
  @Max(50000)
  PROXIMITY_MAX_METRES?: number;

  @Transform(toInteger)
  @IsOptional()
  @IsInt({ message: 'must be a whole number' })
  @Min(100)
  @Max(3600000)
  MAIL_INTERVAL_MS?: number;

  @Transform(toInteger)
  @IsOptional()
  @IsInt({ message: 'must be a whole number' })
  @Min(1)
  @Max(100)
  MAIL_MAX_ATTEMPTS?: number;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^smtps?:\/\/\S+$/, { message: 'must be an smtp:// or smtps:// URL' })
  SMTP_URL?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^[^@\s]+@[^@\s]+$/, { message: 'must be an e-mail address' })
  MAIL_FROM?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^https?:\/\/\S+$/, { message: 'must be an http:// or https:// URL' })
  PUBLIC_URL?: string;
}

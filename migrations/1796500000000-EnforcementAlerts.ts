import type { MigrationInterface, QueryRunner } from 'typeorm';

const BEFORE = `'missed_check_in', 'late_notification', 'breach', 'transfer_in', 'transfer_out', 'measure_ending', 'arrival', 'release_unprepared'`;
const AFTER = `${BEFORE}, 'prohibited_employment', 'travel_return_overdue', 'whereabouts_unknown', 'missed_counselling'`;

/**
 * The alert kinds of enforcing the measures: a workplace with minors during
 * the employment ban, travel abroad not returned from, whereabouts unknown
 * after address checks, and a missed counselling period.
 */
export class EnforcementAlerts1796500000000 implements MigrationInterface {
  name = 'EnforcementAlerts1796500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "alerts" DROP CONSTRAINT "alerts_kind_check"');
    await queryRunner.query(`ALTER TABLE "alerts" ADD CONSTRAINT "alerts_kind_check" CHECK ("kind" IN (${AFTER}))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "alerts" DROP CONSTRAINT "alerts_kind_check"');
    await queryRunner.query(`ALTER TABLE "alerts" ADD CONSTRAINT "alerts_kind_check" CHECK ("kind" IN (${BEFORE}))`);
  }
}

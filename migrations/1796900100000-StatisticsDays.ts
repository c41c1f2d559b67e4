import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The statistics' stocks of past days, recorded once each day has ended
 * (README "Statistics", "Recorded days").
 *
 * A past day's figures are those of what the register had recorded by the
 * end of that day; its stocks (each person's regions, active measures,
 * custody and compliance then) take seconds to compute at a national
 * register, schedule by schedule as of that moment. Once the day has ended
 * (and every transaction that could still record something in it has
 * finished) they no longer change, so the worker records them:
 *
 * - `statistics_day_stocks`: each person's stock over a run of days, for the
 *   compliance rules' settings: from `from_day` up to `to_day` (inclusive),
 *   `to_day` null while the run is still the person's on the last recorded
 *   day. A day is recorded by closing the runs that changed (or whose person
 *   is no longer registered) and opening new ones, so the table grows with
 *   what changes, not with the days.
 * - `statistics_days`: the days recorded, per settings, as one span
 *   [first_day, last_day]; a reader takes a day's stocks from the runs only
 *   inside it, and computes them otherwise.
 *
 * An erased person's runs go with the person. A migration that changes what
 * compliance answers for a past moment must empty both tables (the worker
 * records the days again from the day after).
 */
export class StatisticsDays1796900100000 implements MigrationInterface {
  name = 'StatisticsDays1796900100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE statistics_days (
        grace_hours integer NOT NULL,
        due_soon_days integer NOT NULL,
        first_day date NOT NULL,
        last_day date NOT NULL,
        CONSTRAINT statistics_days_pkey PRIMARY KEY (grace_hours, due_soon_days),
        CONSTRAINT statistics_days_span_check CHECK (first_day <= last_day))`);
    await queryRunner.query(`
      CREATE TABLE statistics_day_stocks (
        person_id uuid NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
        grace_hours integer NOT NULL,
        due_soon_days integer NOT NULL,
        from_day date NOT NULL,
        to_day date,
        regions text[] NOT NULL,
        active_types text[] NOT NULL,
        in_custody boolean NOT NULL,
        status text,
        CONSTRAINT statistics_day_stocks_pkey PRIMARY KEY (person_id, grace_hours, due_soon_days, from_day),
        CONSTRAINT statistics_day_stocks_run_check CHECK (to_day IS NULL OR from_day <= to_day))`);
    // The runs of a day: the open ones, and the closed ones by their last day.
    await queryRunner.query(`
      CREATE INDEX statistics_day_stocks_open_idx ON statistics_day_stocks (grace_hours, due_soon_days, person_id)
        WHERE to_day IS NULL`);
    await queryRunner.query(`
      CREATE INDEX statistics_day_stocks_to_day_idx ON statistics_day_stocks (grace_hours, due_soon_days, to_day)
        WHERE to_day IS NOT NULL`);
    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE ON statistics_days, statistics_day_stocks TO register_app`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE statistics_day_stocks');
    await queryRunner.query('DROP TABLE statistics_days');
  }
}

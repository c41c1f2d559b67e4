import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Compliance1795890758052 implements MigrationInterface {
  name = 'Compliance1795890758052';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "alerts" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "kind" text NOT NULL, "person_id" uuid NOT NULL, "measure_id" uuid, "source_id" uuid NOT NULL, "due_date" date NOT NULL, "police_administration" text, "status" text NOT NULL DEFAULT \'open\', "raised_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "acknowledged_at" TIMESTAMP WITH TIME ZONE, "acknowledged_by" uuid, "resolved_at" TIMESTAMP WITH TIME ZONE, "resolved_by" uuid, "resolution" text, "version" integer NOT NULL DEFAULT \'1\', CONSTRAINT "alerts_kind_source_due_key" UNIQUE ("kind", "source_id", "due_date"), CONSTRAINT "alerts_workflow_check" CHECK (("status" = \'open\' OR "acknowledged_at" IS NOT NULL) AND ("status" = \'resolved\') = ("resolved_at" IS NOT NULL)), CONSTRAINT "alerts_status_check" CHECK ("status" IN (\'open\', \'acknowledged\', \'resolved\')), CONSTRAINT "alerts_kind_check" CHECK ("kind" IN (\'missed_check_in\', \'late_notification\', \'breach\', \'transfer_in\', \'transfer_out\', \'measure_ending\')), CONSTRAINT "alerts_pkey" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "alerts_person_id_idx" ON "alerts"  ("person_id") ');
    await queryRunner.query(
      'CREATE INDEX "alerts_queue_idx" ON "alerts"  ("status", "police_administration", "raised_at") ',
    );
    await queryRunner.query(
      'CREATE TABLE "inbox_items" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "kind" text NOT NULL, "alert_id" uuid, "person_id" uuid NOT NULL, "source_id" uuid NOT NULL, "due_date" date NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "read_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "inbox_items_user_kind_source_due_key" UNIQUE ("user_id", "kind", "source_id", "due_date"), CONSTRAINT "inbox_items_pkey" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "inbox_items_user_idx" ON "inbox_items"  ("user_id", "created_at") ');
    await queryRunner.query(
      'CREATE TABLE "mail_outbox" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "inbox_item_id" uuid NOT NULL, "recipient" text NOT NULL, "subject" text NOT NULL, "body" text NOT NULL, "message_id" text NOT NULL, "status" text NOT NULL DEFAULT \'pending\', "attempts" integer NOT NULL DEFAULT \'0\', "next_attempt_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "last_error" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "sent_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "mail_outbox_message_id_key" UNIQUE ("message_id"), CONSTRAINT "REL_40cc58568338fc914f6c6948b3" UNIQUE ("inbox_item_id"), CONSTRAINT "mail_outbox_status_check" CHECK ("status" IN (\'pending\', \'sent\', \'failed\')), CONSTRAINT "mail_outbox_pkey" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "mail_outbox_pending_idx" ON "mail_outbox"  ("next_attempt_at") WHERE status = \'pending\'',
    );
    await queryRunner.query(
      'CREATE TABLE "breaches" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "person_id" uuid NOT NULL, "measure_id" uuid NOT NULL, "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL, "description" text NOT NULL, "recorded_by" uuid NOT NULL, "version" integer NOT NULL DEFAULT \'1\', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "breaches_pkey" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "breaches_person_id_occurred_at_idx" ON "breaches"  ("person_id", "occurred_at") ',
    );
    await queryRunner.query(
      'CREATE TABLE "check_ins" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "person_id" uuid NOT NULL, "measure_id" uuid NOT NULL, "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL, "place" text NOT NULL, "method" text NOT NULL, "recorded_by" uuid NOT NULL, "voided_at" TIMESTAMP WITH TIME ZONE, "voided_by" uuid, "void_reason" text, "version" integer NOT NULL DEFAULT \'1\', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "check_ins_void_check" CHECK (("voided_at" IS NULL) = ("voided_by" IS NULL) AND ("voided_at" IS NULL) = ("void_reason" IS NULL)), CONSTRAINT "check_ins_method_check" CHECK ("method" IN (\'in_person\')), CONSTRAINT "check_ins_pkey" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "check_ins_person_id_occurred_at_idx" ON "check_ins"  ("person_id", "occurred_at") ',
    );
    await queryRunner.query(
      'CREATE INDEX "check_ins_measure_idx" ON "check_ins"  ("measure_id", "occurred_at") WHERE voided_at IS NULL',
    );
    await queryRunner.query(
      'CREATE TABLE "counselling_attendances" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "person_id" uuid NOT NULL, "measure_id" uuid NOT NULL, "attended_on" date NOT NULL, "institution" text NOT NULL, "recorded_by" uuid NOT NULL, "version" integer NOT NULL DEFAULT \'1\', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "counselling_attendances_pkey" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "counselling_attendances_person_id_attended_on_idx" ON "counselling_attendances"  ("person_id", "attended_on") ',
    );
    await queryRunner.query(
      'CREATE TABLE "measure_suspensions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "measure_id" uuid NOT NULL, "from_on" date NOT NULL, "to_on" date, CONSTRAINT "measure_suspensions_dates_check" CHECK ("to_on" IS NULL OR "to_on" >= "from_on"), CONSTRAINT "measure_suspensions_pkey" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "measure_suspensions_measure_id_from_on_idx" ON "measure_suspensions"  ("measure_id", "from_on") ',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "measure_suspensions_open_key" ON "measure_suspensions"  ("measure_id") WHERE to_on IS NULL',
    );
    await queryRunner.query(
      'CREATE TABLE "notifications" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "person_id" uuid NOT NULL, "kind" text NOT NULL, "notified_at" TIMESTAMP WITH TIME ZONE NOT NULL, "effective_on" date NOT NULL, "details" jsonb NOT NULL, "deadline" date NOT NULL, "on_time" boolean NOT NULL, "recorded_part_id" uuid, "recorded_by" uuid NOT NULL, "voided_at" TIMESTAMP WITH TIME ZONE, "voided_by" uuid, "void_reason" text, "version" integer NOT NULL DEFAULT \'1\', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "notifications_void_check" CHECK (("voided_at" IS NULL) = ("voided_by" IS NULL) AND ("voided_at" IS NULL) = ("void_reason" IS NULL)), CONSTRAINT "notifications_kind_check" CHECK ("kind" IN (\'residence_change\', \'workplace_change\', \'travel_abroad\')), CONSTRAINT "notifications_pkey" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "notifications_person_id_notified_at_idx" ON "notifications"  ("person_id", "notified_at") ',
    );
    await queryRunner.query(
      'CREATE TABLE "transfers" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "person_id" uuid NOT NULL, "address_id" uuid NOT NULL, "from_administration" text NOT NULL, "to_administration" text NOT NULL, "effective_on" date NOT NULL, "recorded_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "transfers_pkey" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "transfers_person_id_effective_on_idx" ON "transfers"  ("person_id", "effective_on") ',
    );
    await queryRunner.query(
      'ALTER TABLE "alerts" ADD CONSTRAINT "alerts_person_id_fkey" FOREIGN KEY ("person_id") REFERENCES "persons"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "alerts" ADD CONSTRAINT "alerts_measure_id_fkey" FOREIGN KEY ("measure_id") REFERENCES "measures"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "alerts" ADD CONSTRAINT "alerts_police_administration_fkey" FOREIGN KEY ("police_administration") REFERENCES "police_administrations"("code") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "inbox_items" ADD CONSTRAINT "inbox_items_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "inbox_items" ADD CONSTRAINT "inbox_items_alert_id_fkey" FOREIGN KEY ("alert_id") REFERENCES "alerts"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "mail_outbox" ADD CONSTRAINT "mail_outbox_inbox_item_id_fkey" FOREIGN KEY ("inbox_item_id") REFERENCES "inbox_items"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "breaches" ADD CONSTRAINT "breaches_person_id_fkey" FOREIGN KEY ("person_id") REFERENCES "persons"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "breaches" ADD CONSTRAINT "breaches_measure_id_fkey" FOREIGN KEY ("measure_id") REFERENCES "measures"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "check_ins" ADD CONSTRAINT "check_ins_person_id_fkey" FOREIGN KEY ("person_id") REFERENCES "persons"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "check_ins" ADD CONSTRAINT "check_ins_measure_id_fkey" FOREIGN KEY ("measure_id") REFERENCES "measures"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "counselling_attendances" ADD CONSTRAINT "counselling_attendances_person_id_fkey" FOREIGN KEY ("person_id") REFERENCES "persons"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "counselling_attendances" ADD CONSTRAINT "counselling_attendances_measure_id_fkey" FOREIGN KEY ("measure_id") REFERENCES "measures"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "measure_suspensions" ADD CONSTRAINT "measure_suspensions_measure_id_fkey" FOREIGN KEY ("measure_id") REFERENCES "measures"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "notifications" ADD CONSTRAINT "notifications_person_id_fkey" FOREIGN KEY ("person_id") REFERENCES "persons"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "transfers" ADD CONSTRAINT "transfers_person_id_fkey" FOREIGN KEY ("person_id") REFERENCES "persons"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "transfers" ADD CONSTRAINT "transfers_address_id_fkey" FOREIGN KEY ("address_id") REFERENCES "addresses"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "transfers" ADD CONSTRAINT "transfers_from_administration_fkey" FOREIGN KEY ("from_administration") REFERENCES "police_administrations"("code") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "transfers" ADD CONSTRAINT "transfers_to_administration_fkey" FOREIGN KEY ("to_administration") REFERENCES "police_administrations"("code") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );

    // Compliance, computed when read (CONTRACT "Compliance"); the same rules as
    // libs/compliance/src/schedule.ts, which a property test holds them to.
    await queryRunner.query(`
      CREATE FUNCTION belgrade_midnight(day date) RETURNS timestamptz
        LANGUAGE sql IMMUTABLE PARALLEL SAFE
        AS $$ SELECT day::timestamp AT TIME ZONE 'Europe/Belgrade' $$`);
    await queryRunner.query(`
      CREATE FUNCTION period_excused(measure_id uuid, starts_on date, last_day date) RETURNS boolean
        LANGUAGE sql STABLE PARALLEL SAFE
        AS $$ SELECT EXISTS (SELECT 1 FROM measure_suspensions s
                             WHERE s.measure_id = $1 AND s.from_on <= $3 AND (s.to_on IS NULL OR s.to_on > $2)) $$`);
    await queryRunner.query(`
      CREATE FUNCTION measure_compliance(
          m measures, now timestamptz, grace_hours integer, due_soon_days integer,
          OUT status text, OUT overdue_since date, OUT next_due_at timestamptz, OUT last_check_in_at timestamptz)
        LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
        DECLARE
          today date := (now AT TIME ZONE 'Europe/Belgrade')::date;
          every integer := m.every_days;
          current_index integer;
          first_index integer;
          period_start date;
          period_last date;
        BEGIN
          SELECT max(c.occurred_at) INTO last_check_in_at
            FROM check_ins c WHERE c.measure_id = m.id AND c.voided_at IS NULL;
          IF m.status = 'ended' OR today > m.ends_on THEN status := 'ended'; RETURN; END IF;
          IF m.status = 'suspended' THEN status := 'suspended'; RETURN; END IF;
          IF today < m.starts_on THEN
            status := 'compliant';
            next_due_at := belgrade_midnight(least(m.starts_on + every - 1, m.ends_on) + 1);
            RETURN;
          END IF;
          current_index := (today - m.starts_on) / every;
          -- Periods before the last check-in's are checked in or made up by it.
          -- (A check-in before the measure starts counts for nothing.)
          first_index := CASE
            WHEN last_check_in_at IS NULL OR (last_check_in_at AT TIME ZONE 'Europe/Belgrade')::date < m.starts_on THEN 0
            ELSE ((last_check_in_at AT TIME ZONE 'Europe/Belgrade')::date - m.starts_on) / every + 1 END;
          FOR k IN first_index .. current_index LOOP
            period_start := m.starts_on + k * every;
            period_last := least(period_start + every - 1, m.ends_on);
            EXIT WHEN now < belgrade_midnight(period_last + 1) + make_interval(hours => grace_hours);
            IF NOT period_excused(m.id, period_start, period_last) THEN
              status := 'overdue';
              overdue_since := period_last;
              EXIT;
            END IF;
          END LOOP;
          period_start := m.starts_on + current_index * every;
          period_last := least(period_start + every - 1, m.ends_on);
          IF last_check_in_at IS NOT NULL AND (last_check_in_at AT TIME ZONE 'Europe/Belgrade')::date >= period_start THEN
            IF period_start + every <= m.ends_on THEN
              next_due_at := belgrade_midnight(least(period_start + 2 * every - 1, m.ends_on) + 1);
            END IF;
          ELSE
            next_due_at := belgrade_midnight(period_last + 1);
            IF status IS NULL AND today >= period_last + 1 - due_soon_days
               AND NOT period_excused(m.id, period_start, period_last) THEN
              status := 'due';
            END IF;
          END IF;
          status := coalesce(status, 'compliant');
        END $$`);
    await queryRunner.query(`
      CREATE FUNCTION person_compliance(
          person_id uuid, now timestamptz, grace_hours integer, due_soon_days integer,
          OUT status text, OUT next_due_at timestamptz, OUT last_check_in_at timestamptz)
        LANGUAGE sql STABLE PARALLEL SAFE AS $$
          SELECT CASE
                   WHEN count(*) = 0 THEN 'none'
                   WHEN bool_or(c.status = 'overdue') THEN 'overdue'
                   WHEN bool_or(c.status = 'due') THEN 'due'
                   WHEN bool_or(c.status = 'compliant') THEN 'compliant'
                   WHEN bool_or(c.status = 'suspended') THEN 'suspended'
                   ELSE 'ended' END,
                 min(c.next_due_at), max(c.last_check_in_at)
            FROM measures m, measure_compliance(m, $2, $3, $4) c
           WHERE m.person_id = $1 AND m.type = 'periodic_reporting' $$`);
    // The administration answerable for a person: the permanent residence's, else reporting's, else the temporary one's.
    await queryRunner.query(`
      CREATE FUNCTION responsible_administration(person_id uuid) RETURNS text
        LANGUAGE sql STABLE PARALLEL SAFE AS $$
          SELECT coalesce(
            (SELECT a.police_administration FROM addresses a
              WHERE a.person_id = $1 AND a.kind = 'permanent' AND a.valid_to IS NULL),
            (SELECT m.report_to FROM measures m
              WHERE m.person_id = $1 AND m.type = 'periodic_reporting' AND m.status = 'active'
              ORDER BY m.starts_on DESC LIMIT 1),
            (SELECT a.police_administration FROM addresses a
              WHERE a.person_id = $1 AND a.kind = 'temporary' AND a.valid_to IS NULL)) $$`);
    await queryRunner.query(
      `GRANT EXECUTE ON FUNCTION belgrade_midnight(date), period_excused(uuid, date, date),
         measure_compliance(measures, timestamptz, integer, integer),
         person_compliance(uuid, timestamptz, integer, integer), responsible_administration(uuid) TO register_app`,
    );
    // The answer to a POST sent with an Idempotency-Key, stored with its work.
    await queryRunner.query(
      `CREATE TABLE idempotency_keys (
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
        key text NOT NULL CHECK (length(key) BETWEEN 1 AND 64),
        request_hash text NOT NULL,
        status integer NOT NULL,
        body jsonb,
        -- The persons the first answer concerned: a replay's audit event names them too.
        subject_person_ids uuid[] NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT idempotency_keys_pkey PRIMARY KEY (user_id, key)
      )`,
    );
    await queryRunner.query(`CREATE INDEX idempotency_keys_created_at_idx ON idempotency_keys (created_at)`);
    // Acts of carrying out a measure are voided or corrected, never deleted.
    await queryRunner.query(
      `GRANT SELECT, INSERT, UPDATE ON check_ins, notifications, breaches, counselling_attendances, measure_suspensions TO register_app`,
    );
    await queryRunner.query(`GRANT SELECT, INSERT ON transfers TO register_app`);
    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE ON alerts, inbox_items, mail_outbox TO register_app`);
    // Expired keys (older than 24 hours) are purged: they hold no register data of their own.
    await queryRunner.query(`GRANT SELECT, INSERT, DELETE ON idempotency_keys TO register_app`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE idempotency_keys`);
    await queryRunner.query(`DROP FUNCTION responsible_administration(uuid)`);
    await queryRunner.query(`DROP FUNCTION person_compliance(uuid, timestamptz, integer, integer)`);
    await queryRunner.query(`DROP FUNCTION measure_compliance(measures, timestamptz, integer, integer)`);
    await queryRunner.query(`DROP FUNCTION period_excused(uuid, date, date)`);
    await queryRunner.query(`DROP FUNCTION belgrade_midnight(date)`);
    await queryRunner.query('ALTER TABLE "transfers" DROP CONSTRAINT "transfers_to_administration_fkey"');
    await queryRunner.query('ALTER TABLE "transfers" DROP CONSTRAINT "transfers_from_administration_fkey"');
    await queryRunner.query('ALTER TABLE "transfers" DROP CONSTRAINT "transfers_address_id_fkey"');
    await queryRunner.query('ALTER TABLE "transfers" DROP CONSTRAINT "transfers_person_id_fkey"');
    await queryRunner.query('ALTER TABLE "notifications" DROP CONSTRAINT "notifications_person_id_fkey"');
    await queryRunner.query('ALTER TABLE "measure_suspensions" DROP CONSTRAINT "measure_suspensions_measure_id_fkey"');
    await queryRunner.query(
      'ALTER TABLE "counselling_attendances" DROP CONSTRAINT "counselling_attendances_measure_id_fkey"',
    );
    await queryRunner.query(
      'ALTER TABLE "counselling_attendances" DROP CONSTRAINT "counselling_attendances_person_id_fkey"',
    );
    await queryRunner.query('ALTER TABLE "check_ins" DROP CONSTRAINT "check_ins_measure_id_fkey"');
    await queryRunner.query('ALTER TABLE "check_ins" DROP CONSTRAINT "check_ins_person_id_fkey"');
    await queryRunner.query('ALTER TABLE "breaches" DROP CONSTRAINT "breaches_measure_id_fkey"');
    await queryRunner.query('ALTER TABLE "breaches" DROP CONSTRAINT "breaches_person_id_fkey"');
    await queryRunner.query('ALTER TABLE "mail_outbox" DROP CONSTRAINT "mail_outbox_inbox_item_id_fkey"');
    await queryRunner.query('ALTER TABLE "inbox_items" DROP CONSTRAINT "inbox_items_alert_id_fkey"');
    await queryRunner.query('ALTER TABLE "inbox_items" DROP CONSTRAINT "inbox_items_user_id_fkey"');
    await queryRunner.query('ALTER TABLE "alerts" DROP CONSTRAINT "alerts_police_administration_fkey"');
    await queryRunner.query('ALTER TABLE "alerts" DROP CONSTRAINT "alerts_measure_id_fkey"');
    await queryRunner.query('ALTER TABLE "alerts" DROP CONSTRAINT "alerts_person_id_fkey"');
    await queryRunner.query('DROP INDEX "public"."transfers_person_id_effective_on_idx"');
    await queryRunner.query('DROP TABLE "transfers"');
    await queryRunner.query('DROP INDEX "public"."notifications_person_id_notified_at_idx"');
    await queryRunner.query('DROP TABLE "notifications"');
    await queryRunner.query('DROP INDEX "public"."measure_suspensions_open_key"');
    await queryRunner.query('DROP INDEX "public"."measure_suspensions_measure_id_from_on_idx"');
    await queryRunner.query('DROP TABLE "measure_suspensions"');
    await queryRunner.query('DROP INDEX "public"."counselling_attendances_person_id_attended_on_idx"');
    await queryRunner.query('DROP TABLE "counselling_attendances"');
    await queryRunner.query('DROP INDEX "public"."check_ins_measure_idx"');
    await queryRunner.query('DROP INDEX "public"."check_ins_person_id_occurred_at_idx"');
    await queryRunner.query('DROP TABLE "check_ins"');
    await queryRunner.query('DROP INDEX "public"."breaches_person_id_occurred_at_idx"');
    await queryRunner.query('DROP TABLE "breaches"');
    await queryRunner.query('DROP INDEX "public"."mail_outbox_pending_idx"');
    await queryRunner.query('DROP TABLE "mail_outbox"');
    await queryRunner.query('DROP INDEX "public"."inbox_items_user_idx"');
    await queryRunner.query('DROP TABLE "inbox_items"');
    await queryRunner.query('DROP INDEX "public"."alerts_queue_idx"');
    await queryRunner.query('DROP INDEX "public"."alerts_person_id_idx"');
    await queryRunner.query('DROP TABLE "alerts"');
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Name search by word. Every word of a person's search key (surname, given
 * names, aliases, folded) is kept in `person_name_words` with the person's
 * regions, and once in the `name_words` dictionary, which carries the trigram
 * index. A search finds the few dictionary words containing the fragment,
 * then ranks the persons having those words on this narrow table, without
 * visiting every matching person's row. A trigger keeps both in step with
 * `persons`, whoever writes it.
 */
export class SearchWords1795900826039 implements MigrationInterface {
  name = 'SearchWords1795900826039';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE name_words (word text PRIMARY KEY)`);
    await queryRunner.query(`CREATE INDEX name_words_trgm_idx ON name_words USING gin (word gin_trgm_ops)`);
    await queryRunner.query(`
      CREATE TABLE person_name_words (
        word text NOT NULL,
        person_id uuid NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
        regions text[] NOT NULL,
        -- The regions ride in the key's index, so that a scoped search reads the index alone.
        PRIMARY KEY (word, person_id) INCLUDE (regions))`);
    await queryRunner.query(`CREATE INDEX person_name_words_person_idx ON person_name_words (person_id)`);
    await queryRunner.query(`
      CREATE FUNCTION search_words(search_key text) RETURNS SETOF text
        LANGUAGE sql IMMUTABLE PARALLEL SAFE
        AS $$ SELECT DISTINCT w FROM string_to_table(search_key, ' ') AS w WHERE w NOT IN ('', '|') $$`);
    await queryRunner.query(`
      CREATE FUNCTION person_name_words_sync() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF TG_OP = 'UPDATE' AND OLD.search_key = NEW.search_key AND OLD.regions = NEW.regions THEN
            RETURN NULL;
          END IF;
          DELETE FROM person_name_words WHERE person_id = NEW.id;
          INSERT INTO name_words (word) SELECT search_words(NEW.search_key) ON CONFLICT DO NOTHING;
          INSERT INTO person_name_words (word, person_id, regions)
            SELECT w, NEW.id, NEW.regions FROM search_words(NEW.search_key) AS w;
          RETURN NULL;
        END $$`);
    await queryRunner.query(`
      CREATE TRIGGER persons_name_words AFTER INSERT OR UPDATE OF search_key, regions ON persons
        FOR EACH ROW EXECUTE FUNCTION person_name_words_sync()`);
    await queryRunner.query(`
      INSERT INTO name_words (word) SELECT DISTINCT w FROM persons p, search_words(p.search_key) AS w`);
    await queryRunner.query(`
      INSERT INTO person_name_words (word, person_id, regions)
        SELECT w, p.id, p.regions FROM persons p, search_words(p.search_key) AS w`);
    // The persons' own trigram index served the old search; the dictionary's replaces it.
    await queryRunner.query(`DROP INDEX persons_search_key_trgm_idx`);
    await queryRunner.query(`GRANT SELECT, INSERT ON name_words TO register_app`);
    await queryRunner.query(`GRANT SELECT, INSERT, DELETE ON person_name_words TO register_app`);
    await queryRunner.query(`GRANT EXECUTE ON FUNCTION search_words(text), person_name_words_sync() TO register_app`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX persons_search_key_trgm_idx ON persons USING gin (search_key gin_trgm_ops)`);
    await queryRunner.query(`DROP TRIGGER persons_name_words ON persons`);
    await queryRunner.query(`DROP FUNCTION person_name_words_sync()`);
    await queryRunner.query(`DROP FUNCTION search_words(text)`);
    await queryRunner.query(`DROP TABLE person_name_words`);
    await queryRunner.query(`DROP TABLE name_words`);
  }
}

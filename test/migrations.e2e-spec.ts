import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { pendingSchemaChanges } from '@app/db';
import { ENTITIES } from '../apps/cli/src/entities';
import { startTestApp } from './support/test-app';
import { createTestDatabase, type TestDatabase } from './support/test-database';

@Entity()
class DriftProbe {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'timestamptz' })
  recordedAt: Date;
}

describe('migrations and entities', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterAll(async () => {
    await database.drop();
  });

  it('agree: the migrated template needs no change for the registered entities', async () => {
    expect(await pendingSchemaChanges(database.url, ENTITIES)).toEqual({ up: [], down: [] });
  });

  it("the api's connection loads, from its modules, exactly the entities the check compares", async () => {
    const t = await startTestApp({}, [], database);
    try {
      expect(new Set(t.dataSource.entityMetadatas.map((m) => m.target))).toEqual(new Set(ENTITIES));
    } finally {
      await t.close();
    }
  });

  it('drift is detected, with snake_case names, when an entity has no migration', async () => {
    const { up } = await pendingSchemaChanges(database.url, [DriftProbe]);
    expect(up).toHaveLength(1);
    expect(up[0]).toMatch(
      /^CREATE TABLE "drift_probe" \("id" uuid NOT NULL DEFAULT (uuid_generate_v4|gen_random_uuid)\(\)/,
    );
    expect(up[0]).toContain('"recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL');
  });
});

import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { Command, CommandRunner } from 'nest-commander';
import { AppConfig } from '@app/common';
import {
  createDatabase,
  dropDatabase,
  pendingSchemaChanges,
  revertLastMigration,
  runMigrations,
  withDatabase,
} from '@app/db';
import { ENTITIES } from '../entities';

function databaseUrl(config: AppConfig): string {
  if (!config.database.url) throw new Error('no database URL');
  return config.database.url;
}

@Command({ name: 'migration:run', description: 'Apply every pending migration' })
export class MigrationRunCommand extends CommandRunner {
  constructor(private readonly config: AppConfig) {
    super();
  }

  async run(): Promise<void> {
    const applied = await runMigrations(databaseUrl(this.config));
    console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'No pending migrations.');
  }
}

@Command({ name: 'migration:revert', description: 'Revert the last applied migration' })
export class MigrationRevertCommand extends CommandRunner {
  constructor(private readonly config: AppConfig) {
    super();
  }

  async run(): Promise<void> {
    const reverted = await revertLastMigration(databaseUrl(this.config));
    console.log(reverted ? `Reverted: ${reverted}` : 'No migration to revert.');
  }
}

@Command({
  name: 'migration:generate',
  arguments: '<name>',
  description: 'Write a migration with the SQL that brings the migrated database in line with the entities',
})
export class MigrationGenerateCommand extends CommandRunner {
  constructor(private readonly config: AppConfig) {
    super();
  }

  async run([name]: string[]): Promise<void> {
    if (!/^[A-Z][A-Za-z0-9]*$/.test(name)) {
      console.error('The name must be PascalCase letters and digits, e.g. AddCheckIns.');
      process.exitCode = 1;
      return;
    }
    const url = databaseUrl(this.config);
    await runMigrations(url);
    const { up, down } = await pendingSchemaChanges(url, ENTITIES);
    if (up.length === 0) {
      console.log('The entities and the migrations agree: nothing to generate.');
      return;
    }
    const file = await writeMigration(name, Date.now(), up, down);
    console.log(`Wrote ${file} and listed it in migrations/index.ts; review it before committing.`);
  }
}

@Command({
  name: 'migration:check',
  description: 'Fail when the entities and the migrations have drifted (checked on a fresh temporary database)',
})
export class MigrationCheckCommand extends CommandRunner {
  constructor(private readonly config: AppConfig) {
    super();
  }

  async run(): Promise<void> {
    const adminUrl = withDatabase(databaseUrl(this.config), 'postgres');
    const scratch = `register_check_${randomBytes(6).toString('hex')}`;
    await createDatabase(adminUrl, scratch);
    try {
      const url = withDatabase(adminUrl, scratch);
      await runMigrations(url);
      const { up } = await pendingSchemaChanges(url, ENTITIES);
      if (up.length > 0) {
        console.error('The entities and the migrations have drifted. A migration would need:');
        for (const query of up) console.error(`  ${query};`);
        console.error('Run `npm run migration:generate -- <Name>` and review the result.');
        process.exitCode = 1;
      } else {
        console.log('Migrations match the entities.');
      }
    } finally {
      await dropDatabase(adminUrl, scratch);
    }
  }
}

const MIGRATIONS_DIR = path.resolve('migrations');

async function writeMigration(name: string, timestamp: number, up: string[], down: string[]): Promise<string> {
  const className = `${name}${timestamp}`;
  const file = path.join(MIGRATIONS_DIR, `${timestamp}-${name}.ts`);
  const lines = (queries: string[]): string =>
    queries.map((q) => `    await queryRunner.query(${JSON.stringify(q)});`).join('\n');
  await fs.writeFile(
    file,
    `import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ${className} implements MigrationInterface {
  name = '${className}';

  async up(queryRunner: QueryRunner): Promise<void> {
${lines(up)}
  }

  async down(queryRunner: QueryRunner): Promise<void> {
${lines([...down].reverse())}
  }
}
`,
  );
  const index = path.join(MIGRATIONS_DIR, 'index.ts');
  const source = await fs.readFile(index, 'utf8');
  const listed = source.replace(/=\s*\[([\s\S]*?)\];\s*$/, (_, items: string) => {
    const names = items
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean);
    return `= [\n${[...names, className].map((name) => `  ${name},`).join('\n')}\n];\n`;
  });
  await fs.writeFile(index, `import { ${className} } from './${timestamp}-${name}';\n${listed}`);
  return path.relative(process.cwd(), file);
}

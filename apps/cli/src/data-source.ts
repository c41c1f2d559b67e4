import { DataSource } from 'typeorm';
import { dataSourceOptions } from '@app/db';
import { ENTITIES } from './entities';

/**
 * For the TypeORM CLI (`typeorm -d dist/apps/cli/src/data-source.js ...`),
 * which needs a server named by DATABASE_URL. `npm run migration:*` does the
 * same and also handles the embedded database.
 */
const url = process.env.DATABASE_URL;
if (!url) throw new Error('DATABASE_URL must be set for the TypeORM CLI');

export default new DataSource(dataSourceOptions({ url, applicationName: 'register-cli' }, ENTITIES));

import 'reflect-metadata';
import { launch } from './launch';

/** `npm start`: the whole register in one process, on an embedded database when DATABASE_URL is unset. */
void launch({ mode: 'local' });

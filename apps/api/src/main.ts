import 'reflect-metadata';
import { launch } from './launch';

void launch({ mode: 'production' });

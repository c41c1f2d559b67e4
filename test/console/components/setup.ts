import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';
import { forgetReferenceLists } from '../../../apps/console/src/components/reference-lists';

afterEach(() => {
  cleanup();
  localStorage.clear();
  window.history.replaceState(null, '', '/');
  forgetReferenceLists();
});

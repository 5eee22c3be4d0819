import { afterEach } from 'vitest';

// State a browser tab keeps between renders (correction drafts) must not leak from one test to the next.
afterEach(() => {
  sessionStorage.clear();
});

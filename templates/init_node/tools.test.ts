import assert from 'node:assert/strict';
import { test } from 'node:test';

import { add, greet } from '../src/tools.js';

test('add adds', () => {
  assert.equal(add(2, 40), 42);
});

test('greet names the one it greets', () => {
  assert.equal(greet('Ada'), 'Hello, Ada!');
});

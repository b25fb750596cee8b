import assert from 'node:assert/strict';
import { test } from 'node:test';

import { reply } from '../src/reply.js';

test('the answer streams the prompt back word by word', async () => {
  const words{% if typescript %}: string[]{% endif %} = [];
  for await (const w of reply('hello there')) words.push(w);
  assert.deepEqual(words, ['hello', ' there']);
});

test('an empty prompt still gets an answer', async () => {
  const words{% if typescript %}: string[]{% endif %} = [];
  for await (const w of reply('  ')) words.push(w);
  assert.equal(words.join(''), '(empty prompt)');
});

/**
 * The agent's answer, word by word. Replace it with a call to your model or framework of
 * choice; it stays a plain function, so the tests can call it without a server.
 */
export async function* reply(prompt{% if typescript %}: string{% endif %}){% if typescript %}: AsyncGenerator<string>{% endif %} {
  const words = prompt.split(/\s+/).filter(Boolean);
  if (words.length === 0) words.push('(empty', 'prompt)');
  for (const [i, word] of words.entries()) {
    yield i === 0 ? word : ` ${word}`;
  }
}

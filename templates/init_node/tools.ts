/** The MCP server's tools as plain functions, so the tests can call them without a server. */
export function add(a{% if typescript %}: number{% endif %}, b{% if typescript %}: number{% endif %}){% if typescript %}: number{% endif %} {
  return a + b;
}

export function greet(name{% if typescript %}: string{% endif %}){% if typescript %}: string{% endif %} {
  return `Hello, ${name}!`;
}

/**
 * {{ name }}: an MCP server on the Bedrock AgentCore Runtime.
 *
 * AgentCore calls an MCP agent as stateless streamable HTTP on port 8000 at /mcp. Run it
 * locally with `agentcore dev`, list its tools with `agentcore invoke --local --mcp tools/list`.
 */
import { createServer } from 'node:http';

import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { z } from 'zod';

import { add, greet } from './tools.js';

function server(){% if typescript %}: McpServer{% endif %} {
  const mcp = new McpServer({ name: '{{ name }}', version: '0.1.0' });
  mcp.registerTool(
    'add',
    { description: 'Adds two numbers', inputSchema: { a: z.number(), b: z.number() } },
    async ({ a, b }) => ({ content: [{ type: 'text', text: String(add(a, b)) }] }),
  );
  mcp.registerTool(
    'greet',
    { description: 'Greets someone by name', inputSchema: { name: z.string() } },
    async ({ name }) => ({ content: [{ type: 'text', text: greet(name) }] }),
  );
  return mcp;
}

// Stateless: every request gets its own server and transport, as the runtime expects.
createServer(async (req, res) => {
  if (req.url !== '/mcp') {
    res.writeHead(404).end();
    return;
  }
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
  res.on('close', () => void transport.close());
  const mcp = server();
  await mcp.connect(transport);
  await transport.handleRequest(req, res);
}).listen(8000, '0.0.0.0');

// Clients nobody on the project wrote, each used as its own documentation shows, against
// `agentcore dev`. Run by tests/outside_clients.rs: `node clients.mjs KIND ARGS…`; prints one
// JSON object on stdout, or fails with the client's own error.
//
//   mcp URL                 the MCP TypeScript SDK: connect, list tools, call `add`
//   a2a BASE SESSION        the A2A JS SDK: card from BASE, one message, then one streamed
//   agui URL SESSION        the AG-UI HttpAgent: one run, the assistant's text
//   sdk ENDPOINT ARN SESSION  the AWS SDK for JavaScript v3: InvokeAgentRuntime, signed

const [kind, ...args] = process.argv.slice(2);
const SESSION_HEADER = "X-Amzn-Bedrock-AgentCore-Runtime-Session-Id";

async function mcp(url) {
  const { Client } = await import("@modelcontextprotocol/sdk/client/index.js");
  const { StreamableHTTPClientTransport } = await import(
    "@modelcontextprotocol/sdk/client/streamableHttp.js"
  );
  const client = new Client({ name: "outside-client", version: "1.0.0" });
  const transport = new StreamableHTTPClientTransport(new URL(url));
  await client.connect(transport);
  const tools = await client.listTools();
  const sum = await client.callTool({ name: "add", arguments: { a: 2, b: 40 } });
  const out = {
    session_id: transport.sessionId ?? null,
    tools: tools.tools.map((t) => t.name).sort(),
    sum: sum.content[0].text,
  };
  await client.close();
  return out;
}

async function a2a(base, session) {
  const { ClientFactory, DefaultAgentCardResolver, JsonRpcTransportFactory } = await import(
    "@a2a-js/sdk/client"
  );
  const withSession = (input, init = {}) => {
    const headers = new Headers(init.headers);
    headers.set(SESSION_HEADER, session);
    return fetch(input, { ...init, headers });
  };
  const { Role } = await import("@a2a-js/sdk");
  const factory = new ClientFactory({
    transports: [new JsonRpcTransportFactory({ fetchImpl: withSession })],
    cardResolver: new DefaultAgentCardResolver({ fetchImpl: withSession }),
  });
  const client = await factory.createFromUrl(base);
  const message = (text) => ({
    message: {
      messageId: crypto.randomUUID(),
      role: Role.ROLE_USER,
      parts: [{ content: { $case: "text", value: text } }],
    },
  });
  const textOf = (m) => m.parts.map((p) => p.content?.value ?? "").join("");
  const sent = await client.sendMessage(message("hello from js"));
  const streamed = [];
  for await (const event of client.sendMessageStream(message("streamed from js"))) {
    if (event.payload?.$case === "message") streamed.push(textOf(event.payload.value));
  }
  return { sent: textOf(sent), streamed };
}

async function agui(url, session) {
  const { HttpAgent } = await import("@ag-ui/client");
  const agent = new HttpAgent({
    url,
    headers: { [SESSION_HEADER]: session },
    initialMessages: [{ id: "u1", role: "user", content: "hello from the ag-ui client" }],
  });
  const types = [];
  const result = await agent.runAgent({}, { onEvent: ({ event }) => types.push(event.type) });
  const reply = result.newMessages.find((m) => m.role === "assistant");
  return { types, text: reply?.content ?? null };
}

async function sdk(endpoint, arn, session) {
  const { BedrockAgentCoreClient, InvokeAgentRuntimeCommand } = await import(
    "@aws-sdk/client-bedrock-agentcore"
  );
  const client = new BedrockAgentCoreClient({
    region: "us-west-2",
    endpoint,
    credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "not-a-real-secret" },
  });
  const out = await client.send(
    new InvokeAgentRuntimeCommand({
      agentRuntimeArn: arn,
      runtimeSessionId: session,
      qualifier: "DEFAULT",
      contentType: "application/json",
      accept: "application/json",
      payload: new TextEncoder().encode(JSON.stringify({ from: "aws-sdk-js" })),
    }),
  );
  const body = await out.response.transformToString();
  return {
    status: out.statusCode,
    session: out.runtimeSessionId,
    content_type: out.contentType,
    body: JSON.parse(body),
  };
}

const run = { mcp, a2a, agui, sdk }[kind];
if (!run) {
  console.error(`unknown client ${kind}: mcp, a2a, agui or sdk`);
  process.exit(2);
}
console.log(JSON.stringify(await run(...args)));

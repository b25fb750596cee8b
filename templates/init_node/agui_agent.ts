/**
 * {{ name }}: an AG-UI agent on the Bedrock AgentCore Runtime.
 *
 * AgentCore calls an AG-UI agent on port 8080: POST /invocations with a RunAgentInput, answered
 * with AG-UI events over Server-Sent Events. Run it locally with `agentcore dev`, talk to it
 * with `agentcore invoke --local "hello"`.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';

import { EventType, contentToText{% if typescript %}, type Event, type RunAgentInput{% endif %} } from '@ag-ui/core';
import { EventEncoder } from '@ag-ui/encoder';

import { reply } from './reply.js';

createServer(async (req, res) => {
  if (req.method === 'GET' && req.url === '/ping') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: 'Healthy', time_of_last_update: Math.floor(Date.now() / 1000) }));
    return;
  }
  if (req.method !== 'POST' || req.url !== '/invocations') {
    res.writeHead(404).end();
    return;
  }
  const chunks{% if typescript %}: Buffer[]{% endif %} = [];
  for await (const chunk of req) chunks.push(chunk);
  const input{% if typescript %}: RunAgentInput{% endif %} = JSON.parse(Buffer.concat(chunks).toString() || '{}');
  const encoder = new EventEncoder({ accept: req.headers.accept });
  res.writeHead(200, { 'content-type': encoder.getContentType() });
  const send = (event{% if typescript %}: Event{% endif %}) => res.write(encoder.encode(event));

  // Streams the last user message back word by word; reply() is where your model goes.
  const { threadId, runId } = input;
  const messageId = randomUUID();
  const last = input.messages?.at(-1);
  const prompt = last?.role === 'user' ? contentToText(last.content) : '';
  send({ type: EventType.RUN_STARTED, threadId, runId });
  send({ type: EventType.TEXT_MESSAGE_START, messageId, role: 'assistant' });
  for await (const delta of reply(prompt)) {
    send({ type: EventType.TEXT_MESSAGE_CONTENT, messageId, delta });
  }
  send({ type: EventType.TEXT_MESSAGE_END, messageId });
  send({ type: EventType.RUN_FINISHED, threadId, runId });
  res.end();
}).listen(8080, '0.0.0.0');

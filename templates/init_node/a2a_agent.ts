/**
 * {{ name }}: an A2A agent on the Bedrock AgentCore Runtime, on the A2A JavaScript SDK.
 *
 * AgentCore calls an A2A agent on port 9000 at `/` (JSON-RPC) and serves its card from
 * `/.well-known/agent-card.json`. Run it locally with `agentcore dev`, talk to it with
 * `agentcore invoke --local "hello"`, read its card with `agentcore invoke --local --card`.
 */
import { randomUUID } from 'node:crypto';

import express from 'express';
import { AGENT_CARD_PATH, Role{% if typescript %}, type AgentCard, type Message{% endif %} } from '@a2a-js/sdk';
import {
  DefaultRequestHandler,
  InMemoryTaskStore,{% if typescript %}
  type AgentExecutor,
  type ExecutionEventBus,
  type RequestContext,{% endif %}
} from '@a2a-js/sdk/server';
import { UserBuilder, agentCardHandler, jsonRpcHandler } from '@a2a-js/sdk/server/express';

import { reply } from './reply.js';

// The runtime tells the agent its public URL (`agentcore dev` does the same).
const url = process.env.AGENTCORE_RUNTIME_URL ?? 'http://localhost:9000/';

const card{% if typescript %}: AgentCard{% endif %} = {
  name: '{{ name }}',
  description: 'Answers each message; replace reply() with your model or framework of choice.',
  // A2A 1.0, and 0.3 for the clients that still speak it.
  supportedInterfaces: [
    { url, protocolBinding: 'JSONRPC', tenant: '', protocolVersion: '1.0' },
    { url, protocolBinding: 'JSONRPC', tenant: '', protocolVersion: '0.3' },
  ],
  provider: undefined,
  version: '0.1.0',
  capabilities: { streaming: true, pushNotifications: false, extensions: [] },
  securitySchemes: {},
  securityRequirements: [],
  defaultInputModes: ['text/plain'],
  defaultOutputModes: ['text/plain'],
  skills: [
    {
      id: 'answer',
      name: 'Answer',
      description: 'Answers a message',
      tags: ['chat'],
      examples: ['hello'],
      inputModes: [],
      outputModes: [],
      securityRequirements: [],
    },
  ],
  signatures: [],
};

const executor{% if typescript %}: AgentExecutor{% endif %} = {
  async execute(ctx{% if typescript %}: RequestContext{% endif %}, bus{% if typescript %}: ExecutionEventBus{% endif %}) {
    const prompt = ctx.userMessage.parts
      .map((p) => (p.content?.$case === 'text' ? p.content.value : ''))
      .join('');
    let text = '';
    for await (const word of reply(prompt)) text += word;
    const answer{% if typescript %}: Message{% endif %} = {
      messageId: randomUUID(),
      contextId: ctx.contextId,
      taskId: '',
      role: Role.ROLE_AGENT,
      parts: [
        { content: { $case: 'text', value: text }, metadata: undefined, filename: '', mediaType: 'text/plain' },
      ],
      metadata: undefined,
      extensions: [],
      referenceTaskIds: [],
    };
    bus.publish({ kind: 'message', data: answer });
    bus.finished();
  },
  async cancelTask() {},
};

const handler = new DefaultRequestHandler(card, new InMemoryTaskStore(), executor);
const legacyCompat = { enabled: true };
const app = express();
app.get('/ping', (_req, res) => {
  res.json({ status: 'Healthy', time_of_last_update: Math.floor(Date.now() / 1000) });
});
app.use(`/${AGENT_CARD_PATH}`, agentCardHandler({ agentCardProvider: handler, legacyCompat }));
app.use('/', jsonRpcHandler({ requestHandler: handler, userBuilder: UserBuilder.noAuthentication, legacyCompat }));
app.listen(9000, '0.0.0.0');

/**
 * {{ name }}: an agent on the Bedrock AgentCore Runtime.
 *
 * Run it locally with `agentcore dev`, talk to it with `agentcore invoke --local "hello"`,
 * ship it with `agentcore deploy`.
 */
import { BedrockAgentCoreApp } from 'bedrock-agentcore/runtime';

import { reply } from './reply.js';

const app = new BedrockAgentCoreApp({
  invocationHandler: {
    // `request` is the JSON the caller sent; `context.sessionId` names the conversation (each
    // session gets its own instance of this process on AgentCore Runtime). Each yielded value
    // is one Server-Sent Event.
    async *process(request{% if typescript %}: unknown{% endif %}) {
      const prompt =
        typeof request === 'object' && request !== null && 'prompt' in request
          ? String({% if typescript %}(request as { prompt: unknown }){% endif %}{% if not typescript %}request{% endif %}.prompt)
          : String(request ?? '');
      for await (const word of reply(prompt)) {
        yield { data: word };
      }
    },
  },
});

// The runtime calls the agent on port 8080 (`agentcore dev` gives each session its own port).
app.run();

// The TypeScript twin of echo_agent.py for bench/coldstart.sh: the official TypeScript SDK's
// app, answering with what it was sent.
import { BedrockAgentCoreApp } from 'bedrock-agentcore/runtime';

const app = new BedrockAgentCoreApp({
  invocationHandler: {
    process: async (request: unknown) => ({ echo: request }),
  },
});
app.run();

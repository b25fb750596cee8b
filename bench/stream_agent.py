"""The streaming anchor: the official SDK yielding N small events as fast as it can."""

from bedrock_agentcore import BedrockAgentCoreApp

app = BedrockAgentCoreApp()


@app.entrypoint
def invoke(payload):
    for i in range(payload.get("n", 200)):
        yield {"i": i}

"""The anchor for the emulator benchmark: the official SDK's own server answering an echo."""

from bedrock_agentcore import BedrockAgentCoreApp

app = BedrockAgentCoreApp()


@app.entrypoint
def invoke(payload):
    return {"echo": payload}

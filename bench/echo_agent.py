"""The anchor for the emulator benchmark: the official SDK's own server answering an echo."""

import logging

from bedrock_agentcore import BedrockAgentCoreApp

# The SDK logs a line per request at INFO; the emulator is measured with its request log off
# (-q), so the anchor runs without its per-request log too.
logging.getLogger("bedrock_agentcore").setLevel(logging.WARNING)

app = BedrockAgentCoreApp()


@app.entrypoint
def invoke(payload):
    return {"echo": payload}

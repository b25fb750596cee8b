"""{{ name }}: an agent on the Bedrock AgentCore Runtime.

Run it locally with `agentcore dev`, talk to it with `agentcore invoke --local "hello"`,
ship it with `agentcore deploy`.
"""

from bedrock_agentcore import BedrockAgentCoreApp

app = BedrockAgentCoreApp()


@app.entrypoint
async def invoke(payload, context):
    """Streams its answer word by word, as Server-Sent Events.

    `payload` is the JSON the caller sent; `context.session_id` names the conversation
    (each session gets its own instance of this process on AgentCore Runtime).
    Replace the body with a call to your model or framework of choice.
    """
    prompt = payload.get("prompt", "") if isinstance(payload, dict) else str(payload)
    words = prompt.split() or ["(empty", "prompt)"]
    for i, word in enumerate(words):
        yield word if i == 0 else " " + word


if __name__ == "__main__":
    app.run()

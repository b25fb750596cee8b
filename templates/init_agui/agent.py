"""{{ name }}: an AG-UI agent for Bedrock AgentCore Runtime, on the official SDK's AGUIApp.

Run it locally with `agentcore dev`, talk to it with `agentcore invoke --local "hello"` (the
prompt goes as a RunAgentInput; the AG-UI events come back over SSE).
"""

import uuid

from ag_ui.core import (
    EventType,
    RunFinishedEvent,
    RunStartedEvent,
    TextMessageContentEvent,
    TextMessageEndEvent,
    TextMessageStartEvent,
)
from bedrock_agentcore.runtime.ag_ui import AGUIApp

app = AGUIApp()


@app.entrypoint
async def agent(run_input):
    """Streams the last user message back word by word; replace with your model's output."""
    text = run_input.messages[-1].content if run_input.messages else ""
    message_id = str(uuid.uuid4())
    yield RunStartedEvent(type=EventType.RUN_STARTED, thread_id=run_input.thread_id, run_id=run_input.run_id)
    yield TextMessageStartEvent(type=EventType.TEXT_MESSAGE_START, message_id=message_id, role="assistant")
    for i, word in enumerate(text.split()):
        yield TextMessageContentEvent(
            type=EventType.TEXT_MESSAGE_CONTENT, message_id=message_id, delta=(" " if i else "") + word
        )
    yield TextMessageEndEvent(type=EventType.TEXT_MESSAGE_END, message_id=message_id)
    yield RunFinishedEvent(type=EventType.RUN_FINISHED, thread_id=run_input.thread_id, run_id=run_input.run_id)


if __name__ == "__main__":
    # AgentCore Runtime calls AG-UI agents on port 8080, POST /invocations and /ws.
    app.run()

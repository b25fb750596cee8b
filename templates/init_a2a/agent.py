"""{{ name }}: an A2A agent for Bedrock AgentCore Runtime, on the official SDK's serve_a2a.

Run it locally with `agentcore dev`, talk to it with `agentcore invoke --local "hello"`, read its
card with `agentcore invoke --local --card`.
"""

from a2a.helpers.proto_helpers import get_message_text, new_text_message
from a2a.server.agent_execution import AgentExecutor, RequestContext
from a2a.server.events import EventQueue
from bedrock_agentcore.runtime.a2a import serve_a2a


class Agent(AgentExecutor):
    """Answers each message; replace the body with your model or framework of choice."""

    async def execute(self, context: RequestContext, event_queue: EventQueue) -> None:
        text = get_message_text(context.message) if context.message else ""
        await event_queue.enqueue_event(
            new_text_message(f"You said: {text}", context_id=context.context_id)
        )

    async def cancel(self, context: RequestContext, event_queue: EventQueue) -> None:
        return None


if __name__ == "__main__":
    # AgentCore Runtime calls A2A agents on port 9000 (A2A_PORT), path /.
    serve_a2a(Agent())

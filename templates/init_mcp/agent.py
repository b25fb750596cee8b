"""{{ name }}: an MCP server for Bedrock AgentCore Runtime (stateless Streamable HTTP).

Run it locally with `agentcore dev`, list its tools with `agentcore invoke --local --mcp tools/list`,
call one with `agentcore invoke --local --mcp tools/call add '{"a": 2, "b": 3}'`.
"""

from mcp.server.fastmcp import FastMCP

mcp = FastMCP(host="0.0.0.0", stateless_http=True)


@mcp.tool()
def add(a: int, b: int) -> int:
    """Add two numbers."""
    return a + b


@mcp.tool()
def greet(name: str) -> str:
    """Say hello."""
    return f"Hello, {name}!"


if __name__ == "__main__":
    # AgentCore Runtime calls MCP servers on port 8000, path /mcp.
    mcp.run(transport="streamable-http")

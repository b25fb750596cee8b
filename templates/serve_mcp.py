# How `agentcore dev` serves an MCP agent on a private port: the module is imported (so its
# `if __name__ == "__main__": mcp.run(...)` does not run, which would bind 8000 whatever the
# environment says) and its MCP server's ASGI app is served on the port dev chose.
# argv: MODULE PORT
import importlib
import os
import sys

sys.path.insert(0, os.getcwd())
module = importlib.import_module(sys.argv[1])
port = int(sys.argv[2])


def asgi_app(obj):
    """The Streamable HTTP app of an MCP server object (the mcp SDK's FastMCP, or fastmcp's)."""
    make = getattr(obj, "streamable_http_app", None)
    if callable(make):
        return make()
    make = getattr(obj, "http_app", None)
    if callable(make):
        return make()
    return None


app = None
for name, value in vars(module).items():
    if isinstance(value, type):
        continue
    app = asgi_app(value)
    if app is not None:
        break
if app is None:
    sys.exit(
        f"agentcore dev: {sys.argv[1]} defines no MCP server (a FastMCP instance at module level)"
    )

import uvicorn  # noqa: E402

uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")

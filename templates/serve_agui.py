# How `agentcore dev` serves an AG-UI agent on a private port: AGUIApp.run (and so
# serve_ag_ui) is made to serve on the port dev chose, whatever port the agent asks for (the
# SDK takes no port from the environment), and the entrypoint runs as `__main__`. An agent
# that only defines `app = AGUIApp()` is served after its module has run.
# argv: ENTRYPOINT PORT
import os
import runpy
import sys

import uvicorn
from bedrock_agentcore.runtime import ag_ui

sys.path.insert(0, os.getcwd())
port = int(sys.argv[2])
served = []


def run(self, *args, **kwargs):
    served.append(self)
    uvicorn.run(self, host="127.0.0.1", port=port, log_level="warning")


ag_ui.AGUIApp.run = run
scope = runpy.run_path(sys.argv[1], run_name="__main__")
if not served:
    apps = [v for v in scope.values() if isinstance(v, ag_ui.AGUIApp)]
    if not apps:
        sys.exit(f"agentcore dev: {sys.argv[1]} defines no AGUIApp and calls no serve_ag_ui")
    run(apps[0])

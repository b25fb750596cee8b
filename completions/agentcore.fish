# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_agentcore_global_optspecs
    string join \n a/agent= config= r/region= profile= output= v/verbose q/quiet no-color h/help V/version
end

function __fish_agentcore_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_agentcore_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_agentcore_using_subcommand
    set -l cmd (__fish_agentcore_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c agentcore -n "__fish_agentcore_needs_command" -s a -l agent -d 'Agent to act on (default: the file\'s default_agent, or its only agent)' -r
complete -c agentcore -n "__fish_agentcore_needs_command" -l config -d 'Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)' -r -F
complete -c agentcore -n "__fish_agentcore_needs_command" -s r -l region -d 'AWS region (default: the agent\'s saved region, then the AWS environment)' -r
complete -c agentcore -n "__fish_agentcore_needs_command" -l profile -d 'AWS named profile' -r
complete -c agentcore -n "__fish_agentcore_needs_command" -l output -d 'Result format on stdout' -r -f -a "text\t''
json\t''"
complete -c agentcore -n "__fish_agentcore_needs_command" -s v -l verbose -d 'More detail on stderr (-vv for debug logs)'
complete -c agentcore -n "__fish_agentcore_needs_command" -s q -l quiet -d 'Only errors on stderr'
complete -c agentcore -n "__fish_agentcore_needs_command" -l no-color -d 'No colour (also when NO_COLOR is set)'
complete -c agentcore -n "__fish_agentcore_needs_command" -s h -l help -d 'Print help'
complete -c agentcore -n "__fish_agentcore_needs_command" -s V -l version -d 'Print version'
complete -c agentcore -n "__fish_agentcore_needs_command" -f -a "configure" -d 'Configure an agent: writes .bedrock_agentcore.yaml, its Dockerfile and .dockerignore'
complete -c agentcore -n "__fish_agentcore_needs_command" -f -a "init" -d 'Create a new agent project (official Python SDK) and configure it'
complete -c agentcore -n "__fish_agentcore_needs_command" -f -a "dev" -d 'Run the local AgentCore Runtime emulator in front of your agent (or the bundled one)'
complete -c agentcore -n "__fish_agentcore_needs_command" -f -a "build" -d 'Build the agent\'s container image through the Docker Engine API'
complete -c agentcore -n "__fish_agentcore_needs_command" -f -a "deploy" -d 'Build, push to ECR and create or update the agent runtime'
complete -c agentcore -n "__fish_agentcore_needs_command" -f -a "status" -d 'Show the agent\'s configuration and, when deployed, its runtime and endpoint'
complete -c agentcore -n "__fish_agentcore_needs_command" -f -a "destroy" -d 'Delete what deploy created for the agent (runtime, images, role it made)'
complete -c agentcore -n "__fish_agentcore_needs_command" -f -a "invoke" -d 'Call an agent (local emulator or deployed) and print its answer as it streams'
complete -c agentcore -n "__fish_agentcore_needs_command" -f -a "stop-session" -d 'End a runtime session (the given or the saved one)'
complete -c agentcore -n "__fish_agentcore_needs_command" -f -a "versions" -d 'The deployed runtime\'s versions, with the artifact each runs and the endpoints serving it'
complete -c agentcore -n "__fish_agentcore_needs_command" -f -a "endpoint" -d 'The deployed runtime\'s named endpoints: list, create, update, delete'
complete -c agentcore -n "__fish_agentcore_needs_command" -f -a "rollback" -d 'Take a change back: point a named endpoint at an older version, or apply an older version\'s image as a new version (DEFAULT follows the latest)'
complete -c agentcore -n "__fish_agentcore_needs_command" -f -a "logs" -d 'The deployed runtime\'s logs (CloudWatch), or the local emulator\'s with --local'
complete -c agentcore -n "__fish_agentcore_needs_command" -f -a "traces" -d 'The deployed agent\'s traces (Transaction Search spans), or the local emulator\'s'
complete -c agentcore -n "__fish_agentcore_needs_command" -f -a "exec" -d 'Run a command inside an agent\'s session (InvokeAgentRuntimeCommand): its output as it comes, its exit status as ours'
complete -c agentcore -n "__fish_agentcore_needs_command" -f -a "shell" -d 'An interactive shell inside an agent\'s session (a real terminal; its exit status as ours)'
complete -c agentcore -n "__fish_agentcore_needs_command" -f -a "memory" -d 'What the agent stored in AgentCore Memory: actors, sessions, events, records, a search (the deployed memory, or with --local dev\'s)'
complete -c agentcore -n "__fish_agentcore_needs_command" -f -a "dev-token" -d 'Print a bearer token from `agentcore dev`\'s own identity provider (for curl and scripts)'
complete -c agentcore -n "__fish_agentcore_needs_command" -f -a "completions" -d 'Print shell completions'
complete -c agentcore -n "__fish_agentcore_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c agentcore -n "__fish_agentcore_using_subcommand configure; and not __fish_seen_subcommand_from list set-default help" -s e -l entrypoint -d 'The agent\'s Python file, or a directory holding agent.py, app.py, main.py or __main__.py' -r -F
complete -c agentcore -n "__fish_agentcore_using_subcommand configure; and not __fish_seen_subcommand_from list set-default help" -s n -l name -d 'Agent name (default: from the entrypoint path)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand configure; and not __fish_seen_subcommand_from list set-default help" -l execution-role -d 'Execution role ARN or name (alias -er; default: created at deploy)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand configure; and not __fish_seen_subcommand_from list set-default help" -l ecr -d 'ECR repository URI or name, or `auto` to create one at deploy' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand configure; and not __fish_seen_subcommand_from list set-default help" -l requirements-file -d 'requirements.txt or pyproject.toml (alias -rf; default: detected)' -r -F
complete -c agentcore -n "__fish_agentcore_using_subcommand configure; and not __fish_seen_subcommand_from list set-default help" -l memory-id -d 'Use this existing memory instead of creating one' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand configure; and not __fish_seen_subcommand_from list set-default help" -l oauth2-provider -d 'OAuth2 credential provider: name=N,vendor=V,client_id=${ID_VAR},client_secret=${SECRET_VAR}[,discovery_url=U] (repeatable)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand configure; and not __fish_seen_subcommand_from list set-default help" -l authorizer-config -d 'Inbound JWT authorizer as JSON: {"customJWTAuthorizer": {...}} (alias -ac)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand configure; and not __fish_seen_subcommand_from list set-default help" -l request-header-allowlist -d 'Headers passed through to the agent, comma-separated (alias -rha)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand configure; and not __fish_seen_subcommand_from list set-default help" -l subnets -d 'Subnet ids, comma-separated' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand configure; and not __fish_seen_subcommand_from list set-default help" -l security-groups -d 'Security group ids, comma-separated' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand configure; and not __fish_seen_subcommand_from list set-default help" -l idle-timeout -d 'Seconds a session may be idle before it stops (60-28800; service default 900)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand configure; and not __fish_seen_subcommand_from list set-default help" -l max-lifetime -d 'Seconds a session may live (60-28800; service default 28800)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand configure; and not __fish_seen_subcommand_from list set-default help" -l session-storage -d 'Give each session its own storage at this path (one directory under /mnt, e.g. /mnt/data), kept across stop and resume of the session; `none` removes it' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand configure; and not __fish_seen_subcommand_from list set-default help" -l s3-mount -d 'Mount an S3 bucket into each session: `bucket=B,mount=/mnt/PATH[,prefix=P][,owner=ACCOUNT][,region=R]`; `{runtimeSessionId}` in the prefix gives each session its own (repeatable; replaces the saved ones; `none` removes them)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand configure; and not __fish_seen_subcommand_from list set-default help" -s p -l protocol -d 'Server protocol' -r -f -a "HTTP\t''
MCP\t''
A2A\t''
AGUI\t''"
complete -c agentcore -n "__fish_agentcore_using_subcommand configure; and not __fish_seen_subcommand_from list set-default help" -l deployment-type -d 'How the agent is deployed: `container` (an image) or `direct_code_deploy` (a zip of the code and its arm64 dependencies in S3, no Docker) (alias -dt)' -r -f -a "container\t''
direct_code_deploy\t''"
complete -c agentcore -n "__fish_agentcore_using_subcommand configure; and not __fish_seen_subcommand_from list set-default help" -l env -d 'Environment variable for the agent, K=V (repeatable; saved; `K=` removes K)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand configure; and not __fish_seen_subcommand_from list set-default help" -s a -l agent -d 'Agent to act on (default: the file\'s default_agent, or its only agent)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand configure; and not __fish_seen_subcommand_from list set-default help" -l config -d 'Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)' -r -F
complete -c agentcore -n "__fish_agentcore_using_subcommand configure; and not __fish_seen_subcommand_from list set-default help" -s r -l region -d 'AWS region (default: the agent\'s saved region, then the AWS environment)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand configure; and not __fish_seen_subcommand_from list set-default help" -l profile -d 'AWS named profile' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand configure; and not __fish_seen_subcommand_from list set-default help" -l output -d 'Result format on stdout' -r -f -a "text\t''
json\t''"
complete -c agentcore -n "__fish_agentcore_using_subcommand configure; and not __fish_seen_subcommand_from list set-default help" -l import -d 'Write the official Node CLI\'s project here (agentcore/agentcore.json, its targets and deployed state) as .bedrock_agentcore.yaml, for those who move'
complete -c agentcore -n "__fish_agentcore_using_subcommand configure; and not __fish_seen_subcommand_from list set-default help" -l disable-otel -d 'Turn off OpenTelemetry instrumentation (alias -do)'
complete -c agentcore -n "__fish_agentcore_using_subcommand configure; and not __fish_seen_subcommand_from list set-default help" -l disable-memory -d 'No AgentCore memory for this agent (alias -dm)'
complete -c agentcore -n "__fish_agentcore_using_subcommand configure; and not __fish_seen_subcommand_from list set-default help" -l long-term-memory -d 'Long-term memory too (user preferences, semantic facts, session summaries)'
complete -c agentcore -n "__fish_agentcore_using_subcommand configure; and not __fish_seen_subcommand_from list set-default help" -l vpc -d 'Run in a VPC (needs --subnets and --security-groups)'
complete -c agentcore -n "__fish_agentcore_using_subcommand configure; and not __fish_seen_subcommand_from list set-default help" -l non-interactive -d 'Never prompt; use defaults or fail (alias -ni; implied when not on a terminal)'
complete -c agentcore -n "__fish_agentcore_using_subcommand configure; and not __fish_seen_subcommand_from list set-default help" -s v -l verbose -d 'More detail on stderr (-vv for debug logs)'
complete -c agentcore -n "__fish_agentcore_using_subcommand configure; and not __fish_seen_subcommand_from list set-default help" -s q -l quiet -d 'Only errors on stderr'
complete -c agentcore -n "__fish_agentcore_using_subcommand configure; and not __fish_seen_subcommand_from list set-default help" -l no-color -d 'No colour (also when NO_COLOR is set)'
complete -c agentcore -n "__fish_agentcore_using_subcommand configure; and not __fish_seen_subcommand_from list set-default help" -s h -l help -d 'Print help'
complete -c agentcore -n "__fish_agentcore_using_subcommand configure; and not __fish_seen_subcommand_from list set-default help" -s V -l version -d 'Print version'
complete -c agentcore -n "__fish_agentcore_using_subcommand configure; and not __fish_seen_subcommand_from list set-default help" -f -a "list" -d 'List the configured agents'
complete -c agentcore -n "__fish_agentcore_using_subcommand configure; and not __fish_seen_subcommand_from list set-default help" -f -a "set-default" -d 'Make NAME the default agent'
complete -c agentcore -n "__fish_agentcore_using_subcommand configure; and not __fish_seen_subcommand_from list set-default help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c agentcore -n "__fish_agentcore_using_subcommand configure; and __fish_seen_subcommand_from list" -s a -l agent -d 'Agent to act on (default: the file\'s default_agent, or its only agent)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand configure; and __fish_seen_subcommand_from list" -l config -d 'Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)' -r -F
complete -c agentcore -n "__fish_agentcore_using_subcommand configure; and __fish_seen_subcommand_from list" -s r -l region -d 'AWS region (default: the agent\'s saved region, then the AWS environment)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand configure; and __fish_seen_subcommand_from list" -l profile -d 'AWS named profile' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand configure; and __fish_seen_subcommand_from list" -l output -d 'Result format on stdout' -r -f -a "text\t''
json\t''"
complete -c agentcore -n "__fish_agentcore_using_subcommand configure; and __fish_seen_subcommand_from list" -s v -l verbose -d 'More detail on stderr (-vv for debug logs)'
complete -c agentcore -n "__fish_agentcore_using_subcommand configure; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Only errors on stderr'
complete -c agentcore -n "__fish_agentcore_using_subcommand configure; and __fish_seen_subcommand_from list" -l no-color -d 'No colour (also when NO_COLOR is set)'
complete -c agentcore -n "__fish_agentcore_using_subcommand configure; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c agentcore -n "__fish_agentcore_using_subcommand configure; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c agentcore -n "__fish_agentcore_using_subcommand configure; and __fish_seen_subcommand_from set-default" -s a -l agent -d 'Agent to act on (default: the file\'s default_agent, or its only agent)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand configure; and __fish_seen_subcommand_from set-default" -l config -d 'Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)' -r -F
complete -c agentcore -n "__fish_agentcore_using_subcommand configure; and __fish_seen_subcommand_from set-default" -s r -l region -d 'AWS region (default: the agent\'s saved region, then the AWS environment)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand configure; and __fish_seen_subcommand_from set-default" -l profile -d 'AWS named profile' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand configure; and __fish_seen_subcommand_from set-default" -l output -d 'Result format on stdout' -r -f -a "text\t''
json\t''"
complete -c agentcore -n "__fish_agentcore_using_subcommand configure; and __fish_seen_subcommand_from set-default" -s v -l verbose -d 'More detail on stderr (-vv for debug logs)'
complete -c agentcore -n "__fish_agentcore_using_subcommand configure; and __fish_seen_subcommand_from set-default" -s q -l quiet -d 'Only errors on stderr'
complete -c agentcore -n "__fish_agentcore_using_subcommand configure; and __fish_seen_subcommand_from set-default" -l no-color -d 'No colour (also when NO_COLOR is set)'
complete -c agentcore -n "__fish_agentcore_using_subcommand configure; and __fish_seen_subcommand_from set-default" -s h -l help -d 'Print help'
complete -c agentcore -n "__fish_agentcore_using_subcommand configure; and __fish_seen_subcommand_from set-default" -s V -l version -d 'Print version'
complete -c agentcore -n "__fish_agentcore_using_subcommand configure; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the configured agents'
complete -c agentcore -n "__fish_agentcore_using_subcommand configure; and __fish_seen_subcommand_from help" -f -a "set-default" -d 'Make NAME the default agent'
complete -c agentcore -n "__fish_agentcore_using_subcommand configure; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c agentcore -n "__fish_agentcore_using_subcommand init" -s p -l protocol -d 'What the agent speaks: HTTP (the official SDK\'s app), MCP (an MCP server), A2A or AGUI; each on its protocol\'s own official library in the chosen language' -r -f -a "HTTP\t''
MCP\t''
A2A\t''
AGUI\t''"
complete -c agentcore -n "__fish_agentcore_using_subcommand init" -s l -l language -d 'The agent\'s language: python, typescript (compiled by tsc for deployment, run by tsx in `dev`) or javascript' -r -f -a "python\t''
typescript\t''
javascript\t''"
complete -c agentcore -n "__fish_agentcore_using_subcommand init" -s a -l agent -d 'Agent to act on (default: the file\'s default_agent, or its only agent)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand init" -l config -d 'Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)' -r -F
complete -c agentcore -n "__fish_agentcore_using_subcommand init" -s r -l region -d 'AWS region (default: the agent\'s saved region, then the AWS environment)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand init" -l profile -d 'AWS named profile' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand init" -l output -d 'Result format on stdout' -r -f -a "text\t''
json\t''"
complete -c agentcore -n "__fish_agentcore_using_subcommand init" -s v -l verbose -d 'More detail on stderr (-vv for debug logs)'
complete -c agentcore -n "__fish_agentcore_using_subcommand init" -s q -l quiet -d 'Only errors on stderr'
complete -c agentcore -n "__fish_agentcore_using_subcommand init" -l no-color -d 'No colour (also when NO_COLOR is set)'
complete -c agentcore -n "__fish_agentcore_using_subcommand init" -s h -l help -d 'Print help'
complete -c agentcore -n "__fish_agentcore_using_subcommand init" -s V -l version -d 'Print version'
complete -c agentcore -n "__fish_agentcore_using_subcommand dev" -l max-traces -d 'Traces kept for /_agentcore/traces (the oldest go first; also bounded to 32 MB)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand dev" -l max-log-records -d 'Log records kept for /_agentcore/logs (also bounded to 16 MB)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand dev" -l port -d 'Port to listen on (0 picks a free one; the URL is printed on stdout)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand dev" -l host -d 'Address to listen on (a non-loopback one also needs --allow-remote)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand dev" -l allow-origin -d 'Let web pages of this origin call the emulator, with CORS (e.g. http://localhost:5173; repeatable)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand dev" -l allow-host -d 'Accept this Host name besides localhost and IP addresses (repeatable)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand dev" -l quota -d 'Change one emulated service quota, NAME=N (0 switches it off; repeatable). Quotas: invocations-per-second (25), account-invocations-per-second (1000), new-sessions-per-minute (100), active-sessions (5000 in us-east-1 and us-west-2, 2500 elsewhere), websocket-frames-per-second (250)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand dev" -l protocol -d 'The bundled agent\'s protocol: HTTP (the default), MCP (a small MCP server with a few tools), A2A or AGUI (agents that say back what they are told); your own agents\' protocols come from the project file' -r -f -a "HTTP\t''
MCP\t''
A2A\t''
AGUI\t''"
complete -c agentcore -n "__fish_agentcore_using_subcommand dev" -l platform -d 'Image platform with --container (default: this machine\'s, so it runs without emulation)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand dev" -l python -d 'Python interpreter for the agent (default: .venv/bin/python, else `uv run`, else python3)' -r -F
complete -c agentcore -n "__fish_agentcore_using_subcommand dev" -l idle-timeout -d 'Idle time before a session stops, e.g. 900, 0.5, 15m (default: the agent\'s setting, else 15m)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand dev" -l max-lifetime -d 'How long a session may live, e.g. 8h (default: the agent\'s setting, else 8h)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand dev" -l request-timeout -d 'Longest wait for an agent\'s complete answer; then 424 RuntimeClientError (the service\'s 15 min)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand dev" -l stream-timeout -d 'Longest a streamed answer or a WebSocket stays open (the service\'s 60 min)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand dev" -l header-timeout -d 'Longest a client may take to send a request\'s headers (also ends idle connections)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand dev" -l max-connections -d 'Most client connections at once (default: from the open-file limit)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand dev" -l max-sessions -d 'Most sessions at once; more get 402 ServiceQuotaExceededException' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand dev" -l log-format -d 'Request log format on stderr' -r -f -a "text\t''
json\t''"
complete -c agentcore -n "__fish_agentcore_using_subcommand dev" -l env -d 'Extra environment variable for the agent, K=V (repeatable)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand dev" -l data-plane -d 'Where the agents\' own AgentCore calls (Memory) go: `local` serves them from dev, offline; `aws` leaves them to the real service with your credentials' -r -f -a "local\t'dev serves Memory itself, offline, from a store beside the project'
aws\t'the real AgentCore services, with your AWS credentials'"
complete -c agentcore -n "__fish_agentcore_using_subcommand dev" -l memory-store -d 'The local Memory store (default: .bedrock_agentcore/memory.sqlite3 beside the project file; kept across restarts)' -r -F
complete -c agentcore -n "__fish_agentcore_using_subcommand dev" -l memory-extraction-delay -d 'How long long-term records made from an agent\'s events stay unseen (in the cloud, extraction takes a minute or so), e.g. 0, 3s, 1m' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand dev" -l ping-deadline -d 'How long an agent instance may take to answer its first /ping' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand dev" -s a -l agent -d 'Agent to act on (default: the file\'s default_agent, or its only agent)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand dev" -l config -d 'Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)' -r -F
complete -c agentcore -n "__fish_agentcore_using_subcommand dev" -s r -l region -d 'AWS region (default: the agent\'s saved region, then the AWS environment)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand dev" -l profile -d 'AWS named profile' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand dev" -l output -d 'Result format on stdout' -r -f -a "text\t''
json\t''"
complete -c agentcore -n "__fish_agentcore_using_subcommand dev" -l open -d 'Open the inspector (the emulator\'s web page) in a browser; without one, its URL is printed as always'
complete -c agentcore -n "__fish_agentcore_using_subcommand dev" -l trace -d 'After each invocation, print its span tree (the emulator\'s spans and the agent\'s own, exported to dev\'s OTLP receiver)'
complete -c agentcore -n "__fish_agentcore_using_subcommand dev" -l no-traces -d 'Make no spans for invocations (agents\' own OTLP exports are still received)'
complete -c agentcore -n "__fish_agentcore_using_subcommand dev" -l allow-remote -d 'Allow listening on a non-loopback --host: other machines can then invoke your agents'
complete -c agentcore -n "__fish_agentcore_using_subcommand dev" -l no-quotas -d 'Switch off every emulated service quota (no 429s)'
complete -c agentcore -n "__fish_agentcore_using_subcommand dev" -l bundled -d 'Host the agent built into agentcore, even when a project is configured'
complete -c agentcore -n "__fish_agentcore_using_subcommand dev" -l container -d 'Build the agent\'s image and run one container per session (needs a Docker engine)'
complete -c agentcore -n "__fish_agentcore_using_subcommand dev" -l passthrough-errors -d 'Also send the agent\'s own error body to the client inside the 424 (debugging aid)'
complete -c agentcore -n "__fish_agentcore_using_subcommand dev" -l reload-sessions -d 'On a source change, restart live sessions too (new sessions always get new code)'
complete -c agentcore -n "__fish_agentcore_using_subcommand dev" -l no-spare -d 'Start each agent\'s instances only when a session needs one (by default one is kept started ahead, so a new session need not wait for Python to start)'
complete -c agentcore -n "__fish_agentcore_using_subcommand dev" -l local-idp -d 'JWT agents trust dev\'s own identity provider instead of their discoveryUrl (offline; get tokens with `agentcore dev-token`)'
complete -c agentcore -n "__fish_agentcore_using_subcommand dev" -l ephemeral -d 'Keep local Memory only until dev stops'
complete -c agentcore -n "__fish_agentcore_using_subcommand dev" -s v -l verbose -d 'More detail on stderr (-vv for debug logs)'
complete -c agentcore -n "__fish_agentcore_using_subcommand dev" -s q -l quiet -d 'Only errors on stderr'
complete -c agentcore -n "__fish_agentcore_using_subcommand dev" -l no-color -d 'No colour (also when NO_COLOR is set)'
complete -c agentcore -n "__fish_agentcore_using_subcommand dev" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c agentcore -n "__fish_agentcore_using_subcommand dev" -s V -l version -d 'Print version'
complete -c agentcore -n "__fish_agentcore_using_subcommand build" -l platform -d 'Target platform (AgentCore Runtime runs linux/arm64)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand build" -l tag -d 'Another tag for the image (repeatable)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand build" -l build-arg -d 'Build argument K=V (repeatable)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand build" -l network -d 'The network RUN steps use, as `docker build --network` (e.g. `host` where only the host reaches the package registries); default `$AGENTCORE_BUILD_NETWORK`, else the engine\'s' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand build" -l save-context -d 'Write the build context tar to FILE (`-`: stdout) instead of building' -r -F
complete -c agentcore -n "__fish_agentcore_using_subcommand build" -s a -l agent -d 'Agent to act on (default: the file\'s default_agent, or its only agent)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand build" -l config -d 'Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)' -r -F
complete -c agentcore -n "__fish_agentcore_using_subcommand build" -s r -l region -d 'AWS region (default: the agent\'s saved region, then the AWS environment)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand build" -l profile -d 'AWS named profile' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand build" -l output -d 'Result format on stdout' -r -f -a "text\t''
json\t''"
complete -c agentcore -n "__fish_agentcore_using_subcommand build" -l no-cache -d 'Do not use the engine\'s build cache'
complete -c agentcore -n "__fish_agentcore_using_subcommand build" -l remote -d 'Build on CodeBuild (arm64) and push to the agent\'s ECR repository, instead of here'
complete -c agentcore -n "__fish_agentcore_using_subcommand build" -s v -l verbose -d 'More detail on stderr (-vv for debug logs)'
complete -c agentcore -n "__fish_agentcore_using_subcommand build" -s q -l quiet -d 'Only errors on stderr'
complete -c agentcore -n "__fish_agentcore_using_subcommand build" -l no-color -d 'No colour (also when NO_COLOR is set)'
complete -c agentcore -n "__fish_agentcore_using_subcommand build" -s h -l help -d 'Print help'
complete -c agentcore -n "__fish_agentcore_using_subcommand build" -s V -l version -d 'Print version'
complete -c agentcore -n "__fish_agentcore_using_subcommand deploy" -l platform -d 'Image platform (AgentCore Runtime runs linux/arm64)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand deploy" -l timeout -d 'Seconds to wait for the runtime to be READY' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand deploy" -l endpoint-grace -d 'Seconds to wait for the DEFAULT endpoint once the runtime is READY' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand deploy" -l memory-timeout -d 'Seconds to wait for the agent\'s memory to be ACTIVE' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand deploy" -l endpoint -d 'After the deploy, create or move this named endpoint to the new version (blue/green: deploy with --endpoint staging, try it, then `agentcore endpoint update prod --version N`)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand deploy" -l build-timeout -d 'Seconds to wait for a remote build' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand deploy" -l s3-bucket -d 'S3 bucket for the code package or the remote build\'s source (saved as aws.s3_path; default: bedrock-agentcore-codebuild-sources-ACCOUNT-REGION, created when missing)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand deploy" -s a -l agent -d 'Agent to act on (default: the file\'s default_agent, or its only agent)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand deploy" -l config -d 'Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)' -r -F
complete -c agentcore -n "__fish_agentcore_using_subcommand deploy" -s r -l region -d 'AWS region (default: the agent\'s saved region, then the AWS environment)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand deploy" -l profile -d 'AWS named profile' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand deploy" -l output -d 'Result format on stdout' -r -f -a "text\t''
json\t''"
complete -c agentcore -n "__fish_agentcore_using_subcommand deploy" -l no-cache -d 'Do not use the engine\'s build cache'
complete -c agentcore -n "__fish_agentcore_using_subcommand deploy" -l dry-run -d 'Print the plan (with request bodies) and change nothing'
complete -c agentcore -n "__fish_agentcore_using_subcommand deploy" -l no-wait -d 'Return once the runtime is created or updated, without waiting for READY'
complete -c agentcore -n "__fish_agentcore_using_subcommand deploy" -l skip-memory-on-failure -d 'Deploy without memory if creating it fails (default: the deploy fails)'
complete -c agentcore -n "__fish_agentcore_using_subcommand deploy" -l remote-build -d 'Build the image on CodeBuild (arm64) instead of here: for hosts that cannot build linux/arm64 (x86-64 without QEMU)'
complete -c agentcore -n "__fish_agentcore_using_subcommand deploy" -l local-build -d 'Build the image here even when this host cannot run arm64 build steps'
complete -c agentcore -n "__fish_agentcore_using_subcommand deploy" -l force-rebuild-deps -d 'Direct code deployment: install the dependencies again instead of reusing the cached arm64 layer'
complete -c agentcore -n "__fish_agentcore_using_subcommand deploy" -l auto-update-on-conflict -l auc -d 'When the agent\'s name is taken by a runtime this project did not deploy (another project\'s, or one made outside agentcore), update that runtime instead of stopping'
complete -c agentcore -n "__fish_agentcore_using_subcommand deploy" -l no-transaction-search -d 'Leave the account\'s Transaction Search (spans into CloudWatch\'s aws/spans, which `agentcore traces` reads) as it is'
complete -c agentcore -n "__fish_agentcore_using_subcommand deploy" -s v -l verbose -d 'More detail on stderr (-vv for debug logs)'
complete -c agentcore -n "__fish_agentcore_using_subcommand deploy" -s q -l quiet -d 'Only errors on stderr'
complete -c agentcore -n "__fish_agentcore_using_subcommand deploy" -l no-color -d 'No colour (also when NO_COLOR is set)'
complete -c agentcore -n "__fish_agentcore_using_subcommand deploy" -s h -l help -d 'Print help'
complete -c agentcore -n "__fish_agentcore_using_subcommand deploy" -s V -l version -d 'Print version'
complete -c agentcore -n "__fish_agentcore_using_subcommand status" -s a -l agent -d 'Agent to act on (default: the file\'s default_agent, or its only agent)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand status" -l config -d 'Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)' -r -F
complete -c agentcore -n "__fish_agentcore_using_subcommand status" -s r -l region -d 'AWS region (default: the agent\'s saved region, then the AWS environment)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand status" -l profile -d 'AWS named profile' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand status" -l output -d 'Result format on stdout' -r -f -a "text\t''
json\t''"
complete -c agentcore -n "__fish_agentcore_using_subcommand status" -s v -l verbose -d 'More detail on stderr (-vv for debug logs)'
complete -c agentcore -n "__fish_agentcore_using_subcommand status" -s q -l quiet -d 'Only errors on stderr'
complete -c agentcore -n "__fish_agentcore_using_subcommand status" -l no-color -d 'No colour (also when NO_COLOR is set)'
complete -c agentcore -n "__fish_agentcore_using_subcommand status" -s h -l help -d 'Print help'
complete -c agentcore -n "__fish_agentcore_using_subcommand status" -s V -l version -d 'Print version'
complete -c agentcore -n "__fish_agentcore_using_subcommand destroy" -s a -l agent -d 'Agent to act on (default: the file\'s default_agent, or its only agent)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand destroy" -l config -d 'Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)' -r -F
complete -c agentcore -n "__fish_agentcore_using_subcommand destroy" -s r -l region -d 'AWS region (default: the agent\'s saved region, then the AWS environment)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand destroy" -l profile -d 'AWS named profile' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand destroy" -l output -d 'Result format on stdout' -r -f -a "text\t''
json\t''"
complete -c agentcore -n "__fish_agentcore_using_subcommand destroy" -l dry-run -d 'List what would be deleted, delete nothing'
complete -c agentcore -n "__fish_agentcore_using_subcommand destroy" -l force -d 'Do not ask for confirmation'
complete -c agentcore -n "__fish_agentcore_using_subcommand destroy" -l delete-ecr-repo -d 'Also delete the ECR repository'
complete -c agentcore -n "__fish_agentcore_using_subcommand destroy" -l remove-config -d 'Also remove the agent from the project file'
complete -c agentcore -n "__fish_agentcore_using_subcommand destroy" -s v -l verbose -d 'More detail on stderr (-vv for debug logs)'
complete -c agentcore -n "__fish_agentcore_using_subcommand destroy" -s q -l quiet -d 'Only errors on stderr'
complete -c agentcore -n "__fish_agentcore_using_subcommand destroy" -l no-color -d 'No colour (also when NO_COLOR is set)'
complete -c agentcore -n "__fish_agentcore_using_subcommand destroy" -s h -l help -d 'Print help'
complete -c agentcore -n "__fish_agentcore_using_subcommand destroy" -s V -l version -d 'Print version'
complete -c agentcore -n "__fish_agentcore_using_subcommand invoke" -l mcp -d 'Call an MCP agent: tools/list, tools/call NAME [ARGS], resources/list, resources/read URI, prompts/list, prompts/get NAME [ARGS], or any other method (the handshake is done)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand invoke" -l port -d 'The emulator\'s port, with --local' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand invoke" -s s -l session-id -d 'Session id (33-256 characters; default: the saved one, else a new one)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand invoke" -l bearer-token -d 'OAuth bearer token for agents with a JWT authorizer' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand invoke" -s u -l user-id -d 'End-user id (X-Amzn-Bedrock-AgentCore-Runtime-User-Id)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand invoke" -l header -d 'Header for the agent, Name:Value (repeatable; gets the Custom- prefix unless allowlisted)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand invoke" -l headers -d 'The official toolkit\'s form: "Name:Value,Name:Value"' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand invoke" -l qualifier -l endpoint -d 'Endpoint to call' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand invoke" -l timeout -d 'Seconds to wait for data before giving up (at least 1)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand invoke" -s a -l agent -d 'Agent to act on (default: the file\'s default_agent, or its only agent)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand invoke" -l config -d 'Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)' -r -F
complete -c agentcore -n "__fish_agentcore_using_subcommand invoke" -s r -l region -d 'AWS region (default: the agent\'s saved region, then the AWS environment)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand invoke" -l profile -d 'AWS named profile' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand invoke" -l output -d 'Result format on stdout' -r -f -a "text\t''
json\t''"
complete -c agentcore -n "__fish_agentcore_using_subcommand invoke" -l logs -d 'When a deployed agent fails, print its last log lines for the session (CloudWatch)'
complete -c agentcore -n "__fish_agentcore_using_subcommand invoke" -l card -d 'Print an A2A agent\'s card (GetAgentCard)'
complete -c agentcore -n "__fish_agentcore_using_subcommand invoke" -s l -l local -l dev -d 'Call the local emulator (`agentcore dev`) instead of the deployed agent'
complete -c agentcore -n "__fish_agentcore_using_subcommand invoke" -l new-session -d 'Start a new conversation instead of continuing the saved session'
complete -c agentcore -n "__fish_agentcore_using_subcommand invoke" -l raw -d 'Print the response bytes exactly as received (not with `--output json`, which prints the answer as JSON)'
complete -c agentcore -n "__fish_agentcore_using_subcommand invoke" -s v -l verbose -d 'More detail on stderr (-vv for debug logs)'
complete -c agentcore -n "__fish_agentcore_using_subcommand invoke" -s q -l quiet -d 'Only errors on stderr'
complete -c agentcore -n "__fish_agentcore_using_subcommand invoke" -l no-color -d 'No colour (also when NO_COLOR is set)'
complete -c agentcore -n "__fish_agentcore_using_subcommand invoke" -s h -l help -d 'Print help'
complete -c agentcore -n "__fish_agentcore_using_subcommand invoke" -s V -l version -d 'Print version'
complete -c agentcore -n "__fish_agentcore_using_subcommand stop-session" -s s -l session-id -d 'Session to stop (default: the saved one)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand stop-session" -l port -d 'The emulator\'s port, with --local' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand stop-session" -l qualifier -d 'Endpoint' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand stop-session" -l bearer-token -d 'OAuth bearer token for agents with a JWT authorizer' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand stop-session" -s a -l agent -d 'Agent to act on (default: the file\'s default_agent, or its only agent)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand stop-session" -l config -d 'Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)' -r -F
complete -c agentcore -n "__fish_agentcore_using_subcommand stop-session" -s r -l region -d 'AWS region (default: the agent\'s saved region, then the AWS environment)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand stop-session" -l profile -d 'AWS named profile' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand stop-session" -l output -d 'Result format on stdout' -r -f -a "text\t''
json\t''"
complete -c agentcore -n "__fish_agentcore_using_subcommand stop-session" -l local -l dev -d 'Stop it on the local emulator'
complete -c agentcore -n "__fish_agentcore_using_subcommand stop-session" -s v -l verbose -d 'More detail on stderr (-vv for debug logs)'
complete -c agentcore -n "__fish_agentcore_using_subcommand stop-session" -s q -l quiet -d 'Only errors on stderr'
complete -c agentcore -n "__fish_agentcore_using_subcommand stop-session" -l no-color -d 'No colour (also when NO_COLOR is set)'
complete -c agentcore -n "__fish_agentcore_using_subcommand stop-session" -s h -l help -d 'Print help'
complete -c agentcore -n "__fish_agentcore_using_subcommand stop-session" -s V -l version -d 'Print version'
complete -c agentcore -n "__fish_agentcore_using_subcommand versions" -s a -l agent -d 'Agent to act on (default: the file\'s default_agent, or its only agent)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand versions" -l config -d 'Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)' -r -F
complete -c agentcore -n "__fish_agentcore_using_subcommand versions" -s r -l region -d 'AWS region (default: the agent\'s saved region, then the AWS environment)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand versions" -l profile -d 'AWS named profile' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand versions" -l output -d 'Result format on stdout' -r -f -a "text\t''
json\t''"
complete -c agentcore -n "__fish_agentcore_using_subcommand versions" -s v -l verbose -d 'More detail on stderr (-vv for debug logs)'
complete -c agentcore -n "__fish_agentcore_using_subcommand versions" -s q -l quiet -d 'Only errors on stderr'
complete -c agentcore -n "__fish_agentcore_using_subcommand versions" -l no-color -d 'No colour (also when NO_COLOR is set)'
complete -c agentcore -n "__fish_agentcore_using_subcommand versions" -s h -l help -d 'Print help'
complete -c agentcore -n "__fish_agentcore_using_subcommand versions" -s V -l version -d 'Print version'
complete -c agentcore -n "__fish_agentcore_using_subcommand endpoint; and not __fish_seen_subcommand_from list create update delete help" -s a -l agent -d 'Agent to act on (default: the file\'s default_agent, or its only agent)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand endpoint; and not __fish_seen_subcommand_from list create update delete help" -l config -d 'Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)' -r -F
complete -c agentcore -n "__fish_agentcore_using_subcommand endpoint; and not __fish_seen_subcommand_from list create update delete help" -s r -l region -d 'AWS region (default: the agent\'s saved region, then the AWS environment)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand endpoint; and not __fish_seen_subcommand_from list create update delete help" -l profile -d 'AWS named profile' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand endpoint; and not __fish_seen_subcommand_from list create update delete help" -l output -d 'Result format on stdout' -r -f -a "text\t''
json\t''"
complete -c agentcore -n "__fish_agentcore_using_subcommand endpoint; and not __fish_seen_subcommand_from list create update delete help" -s v -l verbose -d 'More detail on stderr (-vv for debug logs)'
complete -c agentcore -n "__fish_agentcore_using_subcommand endpoint; and not __fish_seen_subcommand_from list create update delete help" -s q -l quiet -d 'Only errors on stderr'
complete -c agentcore -n "__fish_agentcore_using_subcommand endpoint; and not __fish_seen_subcommand_from list create update delete help" -l no-color -d 'No colour (also when NO_COLOR is set)'
complete -c agentcore -n "__fish_agentcore_using_subcommand endpoint; and not __fish_seen_subcommand_from list create update delete help" -s h -l help -d 'Print help'
complete -c agentcore -n "__fish_agentcore_using_subcommand endpoint; and not __fish_seen_subcommand_from list create update delete help" -s V -l version -d 'Print version'
complete -c agentcore -n "__fish_agentcore_using_subcommand endpoint; and not __fish_seen_subcommand_from list create update delete help" -f -a "list" -d 'The runtime\'s endpoints, with the version each serves'
complete -c agentcore -n "__fish_agentcore_using_subcommand endpoint; and not __fish_seen_subcommand_from list create update delete help" -f -a "create" -d 'A named endpoint, serving VERSION (default: the latest)'
complete -c agentcore -n "__fish_agentcore_using_subcommand endpoint; and not __fish_seen_subcommand_from list create update delete help" -f -a "update" -d 'Point a named endpoint at another version'
complete -c agentcore -n "__fish_agentcore_using_subcommand endpoint; and not __fish_seen_subcommand_from list create update delete help" -f -a "delete" -d 'Delete a named endpoint'
complete -c agentcore -n "__fish_agentcore_using_subcommand endpoint; and not __fish_seen_subcommand_from list create update delete help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c agentcore -n "__fish_agentcore_using_subcommand endpoint; and __fish_seen_subcommand_from list" -s a -l agent -d 'Agent to act on (default: the file\'s default_agent, or its only agent)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand endpoint; and __fish_seen_subcommand_from list" -l config -d 'Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)' -r -F
complete -c agentcore -n "__fish_agentcore_using_subcommand endpoint; and __fish_seen_subcommand_from list" -s r -l region -d 'AWS region (default: the agent\'s saved region, then the AWS environment)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand endpoint; and __fish_seen_subcommand_from list" -l profile -d 'AWS named profile' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand endpoint; and __fish_seen_subcommand_from list" -l output -d 'Result format on stdout' -r -f -a "text\t''
json\t''"
complete -c agentcore -n "__fish_agentcore_using_subcommand endpoint; and __fish_seen_subcommand_from list" -s v -l verbose -d 'More detail on stderr (-vv for debug logs)'
complete -c agentcore -n "__fish_agentcore_using_subcommand endpoint; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Only errors on stderr'
complete -c agentcore -n "__fish_agentcore_using_subcommand endpoint; and __fish_seen_subcommand_from list" -l no-color -d 'No colour (also when NO_COLOR is set)'
complete -c agentcore -n "__fish_agentcore_using_subcommand endpoint; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c agentcore -n "__fish_agentcore_using_subcommand endpoint; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c agentcore -n "__fish_agentcore_using_subcommand endpoint; and __fish_seen_subcommand_from create" -l version -d 'The runtime version to serve' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand endpoint; and __fish_seen_subcommand_from create" -l timeout -d 'Seconds to wait for the endpoint to serve its version' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand endpoint; and __fish_seen_subcommand_from create" -s a -l agent -d 'Agent to act on (default: the file\'s default_agent, or its only agent)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand endpoint; and __fish_seen_subcommand_from create" -l config -d 'Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)' -r -F
complete -c agentcore -n "__fish_agentcore_using_subcommand endpoint; and __fish_seen_subcommand_from create" -s r -l region -d 'AWS region (default: the agent\'s saved region, then the AWS environment)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand endpoint; and __fish_seen_subcommand_from create" -l profile -d 'AWS named profile' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand endpoint; and __fish_seen_subcommand_from create" -l output -d 'Result format on stdout' -r -f -a "text\t''
json\t''"
complete -c agentcore -n "__fish_agentcore_using_subcommand endpoint; and __fish_seen_subcommand_from create" -l no-wait -d 'Return once the service took the change, without waiting for READY'
complete -c agentcore -n "__fish_agentcore_using_subcommand endpoint; and __fish_seen_subcommand_from create" -s v -l verbose -d 'More detail on stderr (-vv for debug logs)'
complete -c agentcore -n "__fish_agentcore_using_subcommand endpoint; and __fish_seen_subcommand_from create" -s q -l quiet -d 'Only errors on stderr'
complete -c agentcore -n "__fish_agentcore_using_subcommand endpoint; and __fish_seen_subcommand_from create" -l no-color -d 'No colour (also when NO_COLOR is set)'
complete -c agentcore -n "__fish_agentcore_using_subcommand endpoint; and __fish_seen_subcommand_from create" -s h -l help -d 'Print help'
complete -c agentcore -n "__fish_agentcore_using_subcommand endpoint; and __fish_seen_subcommand_from update" -l version -d 'The runtime version to serve' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand endpoint; and __fish_seen_subcommand_from update" -l timeout -d 'Seconds to wait for the endpoint to serve its version' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand endpoint; and __fish_seen_subcommand_from update" -s a -l agent -d 'Agent to act on (default: the file\'s default_agent, or its only agent)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand endpoint; and __fish_seen_subcommand_from update" -l config -d 'Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)' -r -F
complete -c agentcore -n "__fish_agentcore_using_subcommand endpoint; and __fish_seen_subcommand_from update" -s r -l region -d 'AWS region (default: the agent\'s saved region, then the AWS environment)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand endpoint; and __fish_seen_subcommand_from update" -l profile -d 'AWS named profile' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand endpoint; and __fish_seen_subcommand_from update" -l output -d 'Result format on stdout' -r -f -a "text\t''
json\t''"
complete -c agentcore -n "__fish_agentcore_using_subcommand endpoint; and __fish_seen_subcommand_from update" -l no-wait -d 'Return once the service took the change, without waiting for READY'
complete -c agentcore -n "__fish_agentcore_using_subcommand endpoint; and __fish_seen_subcommand_from update" -s v -l verbose -d 'More detail on stderr (-vv for debug logs)'
complete -c agentcore -n "__fish_agentcore_using_subcommand endpoint; and __fish_seen_subcommand_from update" -s q -l quiet -d 'Only errors on stderr'
complete -c agentcore -n "__fish_agentcore_using_subcommand endpoint; and __fish_seen_subcommand_from update" -l no-color -d 'No colour (also when NO_COLOR is set)'
complete -c agentcore -n "__fish_agentcore_using_subcommand endpoint; and __fish_seen_subcommand_from update" -s h -l help -d 'Print help'
complete -c agentcore -n "__fish_agentcore_using_subcommand endpoint; and __fish_seen_subcommand_from delete" -s a -l agent -d 'Agent to act on (default: the file\'s default_agent, or its only agent)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand endpoint; and __fish_seen_subcommand_from delete" -l config -d 'Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)' -r -F
complete -c agentcore -n "__fish_agentcore_using_subcommand endpoint; and __fish_seen_subcommand_from delete" -s r -l region -d 'AWS region (default: the agent\'s saved region, then the AWS environment)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand endpoint; and __fish_seen_subcommand_from delete" -l profile -d 'AWS named profile' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand endpoint; and __fish_seen_subcommand_from delete" -l output -d 'Result format on stdout' -r -f -a "text\t''
json\t''"
complete -c agentcore -n "__fish_agentcore_using_subcommand endpoint; and __fish_seen_subcommand_from delete" -s v -l verbose -d 'More detail on stderr (-vv for debug logs)'
complete -c agentcore -n "__fish_agentcore_using_subcommand endpoint; and __fish_seen_subcommand_from delete" -s q -l quiet -d 'Only errors on stderr'
complete -c agentcore -n "__fish_agentcore_using_subcommand endpoint; and __fish_seen_subcommand_from delete" -l no-color -d 'No colour (also when NO_COLOR is set)'
complete -c agentcore -n "__fish_agentcore_using_subcommand endpoint; and __fish_seen_subcommand_from delete" -s h -l help -d 'Print help'
complete -c agentcore -n "__fish_agentcore_using_subcommand endpoint; and __fish_seen_subcommand_from delete" -s V -l version -d 'Print version'
complete -c agentcore -n "__fish_agentcore_using_subcommand endpoint; and __fish_seen_subcommand_from help" -f -a "list" -d 'The runtime\'s endpoints, with the version each serves'
complete -c agentcore -n "__fish_agentcore_using_subcommand endpoint; and __fish_seen_subcommand_from help" -f -a "create" -d 'A named endpoint, serving VERSION (default: the latest)'
complete -c agentcore -n "__fish_agentcore_using_subcommand endpoint; and __fish_seen_subcommand_from help" -f -a "update" -d 'Point a named endpoint at another version'
complete -c agentcore -n "__fish_agentcore_using_subcommand endpoint; and __fish_seen_subcommand_from help" -f -a "delete" -d 'Delete a named endpoint'
complete -c agentcore -n "__fish_agentcore_using_subcommand endpoint; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c agentcore -n "__fish_agentcore_using_subcommand rollback" -l to -d 'The version to go back to (default: the one before the current one)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand rollback" -l endpoint -d 'Roll this named endpoint back instead of DEFAULT' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand rollback" -s a -l agent -d 'Agent to act on (default: the file\'s default_agent, or its only agent)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand rollback" -l config -d 'Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)' -r -F
complete -c agentcore -n "__fish_agentcore_using_subcommand rollback" -s r -l region -d 'AWS region (default: the agent\'s saved region, then the AWS environment)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand rollback" -l profile -d 'AWS named profile' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand rollback" -l output -d 'Result format on stdout' -r -f -a "text\t''
json\t''"
complete -c agentcore -n "__fish_agentcore_using_subcommand rollback" -l dry-run -d 'Say what would be done, do nothing'
complete -c agentcore -n "__fish_agentcore_using_subcommand rollback" -l no-wait -d 'Return once the service took the change'
complete -c agentcore -n "__fish_agentcore_using_subcommand rollback" -s v -l verbose -d 'More detail on stderr (-vv for debug logs)'
complete -c agentcore -n "__fish_agentcore_using_subcommand rollback" -s q -l quiet -d 'Only errors on stderr'
complete -c agentcore -n "__fish_agentcore_using_subcommand rollback" -l no-color -d 'No colour (also when NO_COLOR is set)'
complete -c agentcore -n "__fish_agentcore_using_subcommand rollback" -s h -l help -d 'Print help'
complete -c agentcore -n "__fish_agentcore_using_subcommand logs" -l since -d 'From this long ago (10m, 2h, 1d) or this time (2026-12-01T10:00:00Z); default 1h' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand logs" -l until -d 'Up to this long ago or this time' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand logs" -s s -l session-id -d 'Only this session\'s lines' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand logs" -l level -d 'Only lines at this level or above (DEBUG, INFO, WARN, ERROR)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand logs" -l filter -d 'Only lines containing this text (a CloudWatch filter term)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand logs" -l endpoint -d 'The endpoint whose log group to read' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand logs" -l limit -d 'At most this many lines (without --follow)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand logs" -l port -d 'The emulator\'s port, with --local' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand logs" -s a -l agent -d 'Agent to act on (default: the file\'s default_agent, or its only agent)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand logs" -l config -d 'Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)' -r -F
complete -c agentcore -n "__fish_agentcore_using_subcommand logs" -s r -l region -d 'AWS region (default: the agent\'s saved region, then the AWS environment)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand logs" -l profile -d 'AWS named profile' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand logs" -l output -d 'Result format on stdout' -r -f -a "text\t''
json\t''"
complete -c agentcore -n "__fish_agentcore_using_subcommand logs" -s f -l follow -d 'Keep printing new lines until Ctrl-C'
complete -c agentcore -n "__fish_agentcore_using_subcommand logs" -l local -l dev -d 'Read the running `agentcore dev` instead'
complete -c agentcore -n "__fish_agentcore_using_subcommand logs" -s v -l verbose -d 'More detail on stderr (-vv for debug logs)'
complete -c agentcore -n "__fish_agentcore_using_subcommand logs" -s q -l quiet -d 'Only errors on stderr'
complete -c agentcore -n "__fish_agentcore_using_subcommand logs" -l no-color -d 'No colour (also when NO_COLOR is set)'
complete -c agentcore -n "__fish_agentcore_using_subcommand logs" -s h -l help -d 'Print help'
complete -c agentcore -n "__fish_agentcore_using_subcommand logs" -s V -l version -d 'Print version'
complete -c agentcore -n "__fish_agentcore_using_subcommand traces; and not __fish_seen_subcommand_from list show help" -l since -d 'From this long ago (10m, 2h, 1d) or this time; default 12h' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand traces; and not __fish_seen_subcommand_from list show help" -l limit -d 'At most this many traces (list)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand traces; and not __fish_seen_subcommand_from list show help" -l port -d 'The emulator\'s port, with --local' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand traces; and not __fish_seen_subcommand_from list show help" -s a -l agent -d 'Agent to act on (default: the file\'s default_agent, or its only agent)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand traces; and not __fish_seen_subcommand_from list show help" -l config -d 'Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)' -r -F
complete -c agentcore -n "__fish_agentcore_using_subcommand traces; and not __fish_seen_subcommand_from list show help" -s r -l region -d 'AWS region (default: the agent\'s saved region, then the AWS environment)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand traces; and not __fish_seen_subcommand_from list show help" -l profile -d 'AWS named profile' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand traces; and not __fish_seen_subcommand_from list show help" -l output -d 'Result format on stdout' -r -f -a "text\t''
json\t''"
complete -c agentcore -n "__fish_agentcore_using_subcommand traces; and not __fish_seen_subcommand_from list show help" -l local -l dev -d 'Read the running `agentcore dev` instead'
complete -c agentcore -n "__fish_agentcore_using_subcommand traces; and not __fish_seen_subcommand_from list show help" -s v -l verbose -d 'More detail on stderr (-vv for debug logs)'
complete -c agentcore -n "__fish_agentcore_using_subcommand traces; and not __fish_seen_subcommand_from list show help" -s q -l quiet -d 'Only errors on stderr'
complete -c agentcore -n "__fish_agentcore_using_subcommand traces; and not __fish_seen_subcommand_from list show help" -l no-color -d 'No colour (also when NO_COLOR is set)'
complete -c agentcore -n "__fish_agentcore_using_subcommand traces; and not __fish_seen_subcommand_from list show help" -s h -l help -d 'Print help'
complete -c agentcore -n "__fish_agentcore_using_subcommand traces; and not __fish_seen_subcommand_from list show help" -s V -l version -d 'Print version'
complete -c agentcore -n "__fish_agentcore_using_subcommand traces; and not __fish_seen_subcommand_from list show help" -f -a "list" -d 'Recent traces, newest first: root span, spans, duration, session'
complete -c agentcore -n "__fish_agentcore_using_subcommand traces; and not __fish_seen_subcommand_from list show help" -f -a "show" -d 'One trace\'s span tree'
complete -c agentcore -n "__fish_agentcore_using_subcommand traces; and not __fish_seen_subcommand_from list show help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c agentcore -n "__fish_agentcore_using_subcommand traces; and __fish_seen_subcommand_from list" -l since -d 'From this long ago (10m, 2h, 1d) or this time; default 12h' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand traces; and __fish_seen_subcommand_from list" -l limit -d 'At most this many traces (list)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand traces; and __fish_seen_subcommand_from list" -l port -d 'The emulator\'s port, with --local' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand traces; and __fish_seen_subcommand_from list" -s a -l agent -d 'Agent to act on (default: the file\'s default_agent, or its only agent)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand traces; and __fish_seen_subcommand_from list" -l config -d 'Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)' -r -F
complete -c agentcore -n "__fish_agentcore_using_subcommand traces; and __fish_seen_subcommand_from list" -s r -l region -d 'AWS region (default: the agent\'s saved region, then the AWS environment)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand traces; and __fish_seen_subcommand_from list" -l profile -d 'AWS named profile' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand traces; and __fish_seen_subcommand_from list" -l output -d 'Result format on stdout' -r -f -a "text\t''
json\t''"
complete -c agentcore -n "__fish_agentcore_using_subcommand traces; and __fish_seen_subcommand_from list" -l local -l dev -d 'Read the running `agentcore dev` instead'
complete -c agentcore -n "__fish_agentcore_using_subcommand traces; and __fish_seen_subcommand_from list" -s v -l verbose -d 'More detail on stderr (-vv for debug logs)'
complete -c agentcore -n "__fish_agentcore_using_subcommand traces; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Only errors on stderr'
complete -c agentcore -n "__fish_agentcore_using_subcommand traces; and __fish_seen_subcommand_from list" -l no-color -d 'No colour (also when NO_COLOR is set)'
complete -c agentcore -n "__fish_agentcore_using_subcommand traces; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c agentcore -n "__fish_agentcore_using_subcommand traces; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c agentcore -n "__fish_agentcore_using_subcommand traces; and __fish_seen_subcommand_from show" -l since -d 'From this long ago (10m, 2h, 1d) or this time; default 12h' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand traces; and __fish_seen_subcommand_from show" -l limit -d 'At most this many traces (list)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand traces; and __fish_seen_subcommand_from show" -l port -d 'The emulator\'s port, with --local' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand traces; and __fish_seen_subcommand_from show" -s a -l agent -d 'Agent to act on (default: the file\'s default_agent, or its only agent)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand traces; and __fish_seen_subcommand_from show" -l config -d 'Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)' -r -F
complete -c agentcore -n "__fish_agentcore_using_subcommand traces; and __fish_seen_subcommand_from show" -s r -l region -d 'AWS region (default: the agent\'s saved region, then the AWS environment)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand traces; and __fish_seen_subcommand_from show" -l profile -d 'AWS named profile' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand traces; and __fish_seen_subcommand_from show" -l output -d 'Result format on stdout' -r -f -a "text\t''
json\t''"
complete -c agentcore -n "__fish_agentcore_using_subcommand traces; and __fish_seen_subcommand_from show" -l local -l dev -d 'Read the running `agentcore dev` instead'
complete -c agentcore -n "__fish_agentcore_using_subcommand traces; and __fish_seen_subcommand_from show" -s v -l verbose -d 'More detail on stderr (-vv for debug logs)'
complete -c agentcore -n "__fish_agentcore_using_subcommand traces; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Only errors on stderr'
complete -c agentcore -n "__fish_agentcore_using_subcommand traces; and __fish_seen_subcommand_from show" -l no-color -d 'No colour (also when NO_COLOR is set)'
complete -c agentcore -n "__fish_agentcore_using_subcommand traces; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c agentcore -n "__fish_agentcore_using_subcommand traces; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c agentcore -n "__fish_agentcore_using_subcommand traces; and __fish_seen_subcommand_from help" -f -a "list" -d 'Recent traces, newest first: root span, spans, duration, session'
complete -c agentcore -n "__fish_agentcore_using_subcommand traces; and __fish_seen_subcommand_from help" -f -a "show" -d 'One trace\'s span tree'
complete -c agentcore -n "__fish_agentcore_using_subcommand traces; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c agentcore -n "__fish_agentcore_using_subcommand exec" -s s -l session-id -d 'The session (default: a new one, started as an invocation would start it)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand exec" -l port -d 'The emulator\'s port, with --local' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand exec" -l qualifier -d 'The endpoint (qualifier)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand exec" -l bearer-token -d 'A bearer token, for an agent with a JWT authorizer' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand exec" -l timeout -d 'Seconds the command may run (the service\'s limit is 3600)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand exec" -s a -l agent -d 'Agent to act on (default: the file\'s default_agent, or its only agent)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand exec" -l config -d 'Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)' -r -F
complete -c agentcore -n "__fish_agentcore_using_subcommand exec" -s r -l region -d 'AWS region (default: the agent\'s saved region, then the AWS environment)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand exec" -l profile -d 'AWS named profile' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand exec" -l output -d 'Result format on stdout' -r -f -a "text\t''
json\t''"
complete -c agentcore -n "__fish_agentcore_using_subcommand exec" -l local -l dev -d 'Reach the running `agentcore dev` instead'
complete -c agentcore -n "__fish_agentcore_using_subcommand exec" -s v -l verbose -d 'More detail on stderr (-vv for debug logs)'
complete -c agentcore -n "__fish_agentcore_using_subcommand exec" -s q -l quiet -d 'Only errors on stderr'
complete -c agentcore -n "__fish_agentcore_using_subcommand exec" -l no-color -d 'No colour (also when NO_COLOR is set)'
complete -c agentcore -n "__fish_agentcore_using_subcommand exec" -s h -l help -d 'Print help'
complete -c agentcore -n "__fish_agentcore_using_subcommand exec" -s V -l version -d 'Print version'
complete -c agentcore -n "__fish_agentcore_using_subcommand shell" -s s -l session-id -d 'The session (default: a new one, started as an invocation would start it)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand shell" -l port -d 'The emulator\'s port, with --local' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand shell" -l qualifier -d 'The endpoint (qualifier)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand shell" -l bearer-token -d 'A bearer token, for an agent with a JWT authorizer' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand shell" -l shell-id -d 'Reattach to this shell of the session, one whose connection dropped (default: a new shell)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand shell" -s a -l agent -d 'Agent to act on (default: the file\'s default_agent, or its only agent)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand shell" -l config -d 'Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)' -r -F
complete -c agentcore -n "__fish_agentcore_using_subcommand shell" -s r -l region -d 'AWS region (default: the agent\'s saved region, then the AWS environment)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand shell" -l profile -d 'AWS named profile' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand shell" -l output -d 'Result format on stdout' -r -f -a "text\t''
json\t''"
complete -c agentcore -n "__fish_agentcore_using_subcommand shell" -l local -l dev -d 'Reach the running `agentcore dev` instead'
complete -c agentcore -n "__fish_agentcore_using_subcommand shell" -s v -l verbose -d 'More detail on stderr (-vv for debug logs)'
complete -c agentcore -n "__fish_agentcore_using_subcommand shell" -s q -l quiet -d 'Only errors on stderr'
complete -c agentcore -n "__fish_agentcore_using_subcommand shell" -l no-color -d 'No colour (also when NO_COLOR is set)'
complete -c agentcore -n "__fish_agentcore_using_subcommand shell" -s h -l help -d 'Print help'
complete -c agentcore -n "__fish_agentcore_using_subcommand shell" -s V -l version -d 'Print version'
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and not __fish_seen_subcommand_from actors sessions events records search help" -l memory-id -d 'The memory to read (default: the agent\'s, from the project file)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and not __fish_seen_subcommand_from actors sessions events records search help" -l port -d 'The emulator\'s port, with --local' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and not __fish_seen_subcommand_from actors sessions events records search help" -l limit -d 'At most this many items' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and not __fish_seen_subcommand_from actors sessions events records search help" -s a -l agent -d 'Agent to act on (default: the file\'s default_agent, or its only agent)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and not __fish_seen_subcommand_from actors sessions events records search help" -l config -d 'Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)' -r -F
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and not __fish_seen_subcommand_from actors sessions events records search help" -s r -l region -d 'AWS region (default: the agent\'s saved region, then the AWS environment)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and not __fish_seen_subcommand_from actors sessions events records search help" -l profile -d 'AWS named profile' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and not __fish_seen_subcommand_from actors sessions events records search help" -l output -d 'Result format on stdout' -r -f -a "text\t''
json\t''"
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and not __fish_seen_subcommand_from actors sessions events records search help" -l local -l dev -d 'Read the running `agentcore dev` instead'
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and not __fish_seen_subcommand_from actors sessions events records search help" -s v -l verbose -d 'More detail on stderr (-vv for debug logs)'
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and not __fish_seen_subcommand_from actors sessions events records search help" -s q -l quiet -d 'Only errors on stderr'
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and not __fish_seen_subcommand_from actors sessions events records search help" -l no-color -d 'No colour (also when NO_COLOR is set)'
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and not __fish_seen_subcommand_from actors sessions events records search help" -s h -l help -d 'Print help'
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and not __fish_seen_subcommand_from actors sessions events records search help" -s V -l version -d 'Print version'
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and not __fish_seen_subcommand_from actors sessions events records search help" -f -a "actors" -d 'The actors with events'
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and not __fish_seen_subcommand_from actors sessions events records search help" -f -a "sessions" -d 'An actor\'s sessions, newest first'
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and not __fish_seen_subcommand_from actors sessions events records search help" -f -a "events" -d 'A session\'s events, newest first'
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and not __fish_seen_subcommand_from actors sessions events records search help" -f -a "records" -d 'Long-term records, newest first'
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and not __fish_seen_subcommand_from actors sessions events records search help" -f -a "search" -d 'Long-term records ranked for a query'
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and not __fish_seen_subcommand_from actors sessions events records search help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and __fish_seen_subcommand_from actors" -l memory-id -d 'The memory to read (default: the agent\'s, from the project file)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and __fish_seen_subcommand_from actors" -l port -d 'The emulator\'s port, with --local' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and __fish_seen_subcommand_from actors" -l limit -d 'At most this many items' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and __fish_seen_subcommand_from actors" -s a -l agent -d 'Agent to act on (default: the file\'s default_agent, or its only agent)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and __fish_seen_subcommand_from actors" -l config -d 'Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)' -r -F
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and __fish_seen_subcommand_from actors" -s r -l region -d 'AWS region (default: the agent\'s saved region, then the AWS environment)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and __fish_seen_subcommand_from actors" -l profile -d 'AWS named profile' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and __fish_seen_subcommand_from actors" -l output -d 'Result format on stdout' -r -f -a "text\t''
json\t''"
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and __fish_seen_subcommand_from actors" -l local -l dev -d 'Read the running `agentcore dev` instead'
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and __fish_seen_subcommand_from actors" -s v -l verbose -d 'More detail on stderr (-vv for debug logs)'
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and __fish_seen_subcommand_from actors" -s q -l quiet -d 'Only errors on stderr'
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and __fish_seen_subcommand_from actors" -l no-color -d 'No colour (also when NO_COLOR is set)'
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and __fish_seen_subcommand_from actors" -s h -l help -d 'Print help'
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and __fish_seen_subcommand_from actors" -s V -l version -d 'Print version'
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and __fish_seen_subcommand_from sessions" -l actor -r
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and __fish_seen_subcommand_from sessions" -l memory-id -d 'The memory to read (default: the agent\'s, from the project file)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and __fish_seen_subcommand_from sessions" -l port -d 'The emulator\'s port, with --local' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and __fish_seen_subcommand_from sessions" -l limit -d 'At most this many items' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and __fish_seen_subcommand_from sessions" -s a -l agent -d 'Agent to act on (default: the file\'s default_agent, or its only agent)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and __fish_seen_subcommand_from sessions" -l config -d 'Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)' -r -F
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and __fish_seen_subcommand_from sessions" -s r -l region -d 'AWS region (default: the agent\'s saved region, then the AWS environment)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and __fish_seen_subcommand_from sessions" -l profile -d 'AWS named profile' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and __fish_seen_subcommand_from sessions" -l output -d 'Result format on stdout' -r -f -a "text\t''
json\t''"
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and __fish_seen_subcommand_from sessions" -l local -l dev -d 'Read the running `agentcore dev` instead'
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and __fish_seen_subcommand_from sessions" -s v -l verbose -d 'More detail on stderr (-vv for debug logs)'
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and __fish_seen_subcommand_from sessions" -s q -l quiet -d 'Only errors on stderr'
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and __fish_seen_subcommand_from sessions" -l no-color -d 'No colour (also when NO_COLOR is set)'
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and __fish_seen_subcommand_from sessions" -s h -l help -d 'Print help'
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and __fish_seen_subcommand_from sessions" -s V -l version -d 'Print version'
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and __fish_seen_subcommand_from events" -l actor -r
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and __fish_seen_subcommand_from events" -l session -r
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and __fish_seen_subcommand_from events" -l memory-id -d 'The memory to read (default: the agent\'s, from the project file)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and __fish_seen_subcommand_from events" -l port -d 'The emulator\'s port, with --local' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and __fish_seen_subcommand_from events" -l limit -d 'At most this many items' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and __fish_seen_subcommand_from events" -s a -l agent -d 'Agent to act on (default: the file\'s default_agent, or its only agent)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and __fish_seen_subcommand_from events" -l config -d 'Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)' -r -F
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and __fish_seen_subcommand_from events" -s r -l region -d 'AWS region (default: the agent\'s saved region, then the AWS environment)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and __fish_seen_subcommand_from events" -l profile -d 'AWS named profile' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and __fish_seen_subcommand_from events" -l output -d 'Result format on stdout' -r -f -a "text\t''
json\t''"
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and __fish_seen_subcommand_from events" -l local -l dev -d 'Read the running `agentcore dev` instead'
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and __fish_seen_subcommand_from events" -s v -l verbose -d 'More detail on stderr (-vv for debug logs)'
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and __fish_seen_subcommand_from events" -s q -l quiet -d 'Only errors on stderr'
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and __fish_seen_subcommand_from events" -l no-color -d 'No colour (also when NO_COLOR is set)'
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and __fish_seen_subcommand_from events" -s h -l help -d 'Print help'
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and __fish_seen_subcommand_from events" -s V -l version -d 'Print version'
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and __fish_seen_subcommand_from records" -l namespace -d 'Only records under this namespace path (e.g. /users/alice/)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and __fish_seen_subcommand_from records" -l memory-id -d 'The memory to read (default: the agent\'s, from the project file)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and __fish_seen_subcommand_from records" -l port -d 'The emulator\'s port, with --local' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and __fish_seen_subcommand_from records" -l limit -d 'At most this many items' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and __fish_seen_subcommand_from records" -s a -l agent -d 'Agent to act on (default: the file\'s default_agent, or its only agent)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and __fish_seen_subcommand_from records" -l config -d 'Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)' -r -F
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and __fish_seen_subcommand_from records" -s r -l region -d 'AWS region (default: the agent\'s saved region, then the AWS environment)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and __fish_seen_subcommand_from records" -l profile -d 'AWS named profile' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and __fish_seen_subcommand_from records" -l output -d 'Result format on stdout' -r -f -a "text\t''
json\t''"
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and __fish_seen_subcommand_from records" -l local -l dev -d 'Read the running `agentcore dev` instead'
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and __fish_seen_subcommand_from records" -s v -l verbose -d 'More detail on stderr (-vv for debug logs)'
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and __fish_seen_subcommand_from records" -s q -l quiet -d 'Only errors on stderr'
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and __fish_seen_subcommand_from records" -l no-color -d 'No colour (also when NO_COLOR is set)'
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and __fish_seen_subcommand_from records" -s h -l help -d 'Print help'
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and __fish_seen_subcommand_from records" -s V -l version -d 'Print version'
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and __fish_seen_subcommand_from search" -l namespace -d 'Only records under this namespace path' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and __fish_seen_subcommand_from search" -l top-k -r
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and __fish_seen_subcommand_from search" -l memory-id -d 'The memory to read (default: the agent\'s, from the project file)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and __fish_seen_subcommand_from search" -l port -d 'The emulator\'s port, with --local' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and __fish_seen_subcommand_from search" -l limit -d 'At most this many items' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and __fish_seen_subcommand_from search" -s a -l agent -d 'Agent to act on (default: the file\'s default_agent, or its only agent)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and __fish_seen_subcommand_from search" -l config -d 'Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)' -r -F
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and __fish_seen_subcommand_from search" -s r -l region -d 'AWS region (default: the agent\'s saved region, then the AWS environment)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and __fish_seen_subcommand_from search" -l profile -d 'AWS named profile' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and __fish_seen_subcommand_from search" -l output -d 'Result format on stdout' -r -f -a "text\t''
json\t''"
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and __fish_seen_subcommand_from search" -l local -l dev -d 'Read the running `agentcore dev` instead'
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and __fish_seen_subcommand_from search" -s v -l verbose -d 'More detail on stderr (-vv for debug logs)'
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and __fish_seen_subcommand_from search" -s q -l quiet -d 'Only errors on stderr'
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and __fish_seen_subcommand_from search" -l no-color -d 'No colour (also when NO_COLOR is set)'
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and __fish_seen_subcommand_from search" -s h -l help -d 'Print help'
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and __fish_seen_subcommand_from search" -s V -l version -d 'Print version'
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and __fish_seen_subcommand_from help" -f -a "actors" -d 'The actors with events'
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and __fish_seen_subcommand_from help" -f -a "sessions" -d 'An actor\'s sessions, newest first'
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and __fish_seen_subcommand_from help" -f -a "events" -d 'A session\'s events, newest first'
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and __fish_seen_subcommand_from help" -f -a "records" -d 'Long-term records, newest first'
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and __fish_seen_subcommand_from help" -f -a "search" -d 'Long-term records ranked for a query'
complete -c agentcore -n "__fish_agentcore_using_subcommand memory; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c agentcore -n "__fish_agentcore_using_subcommand dev-token" -l port -d 'The emulator\'s port' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand dev-token" -l client-id -d 'Client id (default: the agent\'s first allowedClients)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand dev-token" -l audience -d 'Audience, repeatable (default: the agent\'s first allowedAudience)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand dev-token" -l scope -d 'Scope, repeatable (default: the agent\'s allowedScopes)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand dev-token" -l claim -d 'Extra claim NAME=VALUE, repeatable; VALUE is JSON if it parses, else a string' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand dev-token" -l expires-in -d 'Seconds the token is valid (1-86400)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand dev-token" -s a -l agent -d 'Agent to act on (default: the file\'s default_agent, or its only agent)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand dev-token" -l config -d 'Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)' -r -F
complete -c agentcore -n "__fish_agentcore_using_subcommand dev-token" -s r -l region -d 'AWS region (default: the agent\'s saved region, then the AWS environment)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand dev-token" -l profile -d 'AWS named profile' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand dev-token" -l output -d 'Result format on stdout' -r -f -a "text\t''
json\t''"
complete -c agentcore -n "__fish_agentcore_using_subcommand dev-token" -s v -l verbose -d 'More detail on stderr (-vv for debug logs)'
complete -c agentcore -n "__fish_agentcore_using_subcommand dev-token" -s q -l quiet -d 'Only errors on stderr'
complete -c agentcore -n "__fish_agentcore_using_subcommand dev-token" -l no-color -d 'No colour (also when NO_COLOR is set)'
complete -c agentcore -n "__fish_agentcore_using_subcommand dev-token" -s h -l help -d 'Print help'
complete -c agentcore -n "__fish_agentcore_using_subcommand dev-token" -s V -l version -d 'Print version'
complete -c agentcore -n "__fish_agentcore_using_subcommand completions" -l dir -d 'Write every shell\'s file into DIR instead (how completions/ is kept current)' -r -F
complete -c agentcore -n "__fish_agentcore_using_subcommand completions" -s a -l agent -d 'Agent to act on (default: the file\'s default_agent, or its only agent)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand completions" -l config -d 'Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)' -r -F
complete -c agentcore -n "__fish_agentcore_using_subcommand completions" -s r -l region -d 'AWS region (default: the agent\'s saved region, then the AWS environment)' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand completions" -l profile -d 'AWS named profile' -r
complete -c agentcore -n "__fish_agentcore_using_subcommand completions" -l output -d 'Result format on stdout' -r -f -a "text\t''
json\t''"
complete -c agentcore -n "__fish_agentcore_using_subcommand completions" -s v -l verbose -d 'More detail on stderr (-vv for debug logs)'
complete -c agentcore -n "__fish_agentcore_using_subcommand completions" -s q -l quiet -d 'Only errors on stderr'
complete -c agentcore -n "__fish_agentcore_using_subcommand completions" -l no-color -d 'No colour (also when NO_COLOR is set)'
complete -c agentcore -n "__fish_agentcore_using_subcommand completions" -s h -l help -d 'Print help'
complete -c agentcore -n "__fish_agentcore_using_subcommand completions" -s V -l version -d 'Print version'
complete -c agentcore -n "__fish_agentcore_using_subcommand help; and not __fish_seen_subcommand_from configure init dev build deploy status destroy invoke stop-session versions endpoint rollback logs traces exec shell memory dev-token completions help" -f -a "configure" -d 'Configure an agent: writes .bedrock_agentcore.yaml, its Dockerfile and .dockerignore'
complete -c agentcore -n "__fish_agentcore_using_subcommand help; and not __fish_seen_subcommand_from configure init dev build deploy status destroy invoke stop-session versions endpoint rollback logs traces exec shell memory dev-token completions help" -f -a "init" -d 'Create a new agent project (official Python SDK) and configure it'
complete -c agentcore -n "__fish_agentcore_using_subcommand help; and not __fish_seen_subcommand_from configure init dev build deploy status destroy invoke stop-session versions endpoint rollback logs traces exec shell memory dev-token completions help" -f -a "dev" -d 'Run the local AgentCore Runtime emulator in front of your agent (or the bundled one)'
complete -c agentcore -n "__fish_agentcore_using_subcommand help; and not __fish_seen_subcommand_from configure init dev build deploy status destroy invoke stop-session versions endpoint rollback logs traces exec shell memory dev-token completions help" -f -a "build" -d 'Build the agent\'s container image through the Docker Engine API'
complete -c agentcore -n "__fish_agentcore_using_subcommand help; and not __fish_seen_subcommand_from configure init dev build deploy status destroy invoke stop-session versions endpoint rollback logs traces exec shell memory dev-token completions help" -f -a "deploy" -d 'Build, push to ECR and create or update the agent runtime'
complete -c agentcore -n "__fish_agentcore_using_subcommand help; and not __fish_seen_subcommand_from configure init dev build deploy status destroy invoke stop-session versions endpoint rollback logs traces exec shell memory dev-token completions help" -f -a "status" -d 'Show the agent\'s configuration and, when deployed, its runtime and endpoint'
complete -c agentcore -n "__fish_agentcore_using_subcommand help; and not __fish_seen_subcommand_from configure init dev build deploy status destroy invoke stop-session versions endpoint rollback logs traces exec shell memory dev-token completions help" -f -a "destroy" -d 'Delete what deploy created for the agent (runtime, images, role it made)'
complete -c agentcore -n "__fish_agentcore_using_subcommand help; and not __fish_seen_subcommand_from configure init dev build deploy status destroy invoke stop-session versions endpoint rollback logs traces exec shell memory dev-token completions help" -f -a "invoke" -d 'Call an agent (local emulator or deployed) and print its answer as it streams'
complete -c agentcore -n "__fish_agentcore_using_subcommand help; and not __fish_seen_subcommand_from configure init dev build deploy status destroy invoke stop-session versions endpoint rollback logs traces exec shell memory dev-token completions help" -f -a "stop-session" -d 'End a runtime session (the given or the saved one)'
complete -c agentcore -n "__fish_agentcore_using_subcommand help; and not __fish_seen_subcommand_from configure init dev build deploy status destroy invoke stop-session versions endpoint rollback logs traces exec shell memory dev-token completions help" -f -a "versions" -d 'The deployed runtime\'s versions, with the artifact each runs and the endpoints serving it'
complete -c agentcore -n "__fish_agentcore_using_subcommand help; and not __fish_seen_subcommand_from configure init dev build deploy status destroy invoke stop-session versions endpoint rollback logs traces exec shell memory dev-token completions help" -f -a "endpoint" -d 'The deployed runtime\'s named endpoints: list, create, update, delete'
complete -c agentcore -n "__fish_agentcore_using_subcommand help; and not __fish_seen_subcommand_from configure init dev build deploy status destroy invoke stop-session versions endpoint rollback logs traces exec shell memory dev-token completions help" -f -a "rollback" -d 'Take a change back: point a named endpoint at an older version, or apply an older version\'s image as a new version (DEFAULT follows the latest)'
complete -c agentcore -n "__fish_agentcore_using_subcommand help; and not __fish_seen_subcommand_from configure init dev build deploy status destroy invoke stop-session versions endpoint rollback logs traces exec shell memory dev-token completions help" -f -a "logs" -d 'The deployed runtime\'s logs (CloudWatch), or the local emulator\'s with --local'
complete -c agentcore -n "__fish_agentcore_using_subcommand help; and not __fish_seen_subcommand_from configure init dev build deploy status destroy invoke stop-session versions endpoint rollback logs traces exec shell memory dev-token completions help" -f -a "traces" -d 'The deployed agent\'s traces (Transaction Search spans), or the local emulator\'s'
complete -c agentcore -n "__fish_agentcore_using_subcommand help; and not __fish_seen_subcommand_from configure init dev build deploy status destroy invoke stop-session versions endpoint rollback logs traces exec shell memory dev-token completions help" -f -a "exec" -d 'Run a command inside an agent\'s session (InvokeAgentRuntimeCommand): its output as it comes, its exit status as ours'
complete -c agentcore -n "__fish_agentcore_using_subcommand help; and not __fish_seen_subcommand_from configure init dev build deploy status destroy invoke stop-session versions endpoint rollback logs traces exec shell memory dev-token completions help" -f -a "shell" -d 'An interactive shell inside an agent\'s session (a real terminal; its exit status as ours)'
complete -c agentcore -n "__fish_agentcore_using_subcommand help; and not __fish_seen_subcommand_from configure init dev build deploy status destroy invoke stop-session versions endpoint rollback logs traces exec shell memory dev-token completions help" -f -a "memory" -d 'What the agent stored in AgentCore Memory: actors, sessions, events, records, a search (the deployed memory, or with --local dev\'s)'
complete -c agentcore -n "__fish_agentcore_using_subcommand help; and not __fish_seen_subcommand_from configure init dev build deploy status destroy invoke stop-session versions endpoint rollback logs traces exec shell memory dev-token completions help" -f -a "dev-token" -d 'Print a bearer token from `agentcore dev`\'s own identity provider (for curl and scripts)'
complete -c agentcore -n "__fish_agentcore_using_subcommand help; and not __fish_seen_subcommand_from configure init dev build deploy status destroy invoke stop-session versions endpoint rollback logs traces exec shell memory dev-token completions help" -f -a "completions" -d 'Print shell completions'
complete -c agentcore -n "__fish_agentcore_using_subcommand help; and not __fish_seen_subcommand_from configure init dev build deploy status destroy invoke stop-session versions endpoint rollback logs traces exec shell memory dev-token completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c agentcore -n "__fish_agentcore_using_subcommand help; and __fish_seen_subcommand_from configure" -f -a "list" -d 'List the configured agents'
complete -c agentcore -n "__fish_agentcore_using_subcommand help; and __fish_seen_subcommand_from configure" -f -a "set-default" -d 'Make NAME the default agent'
complete -c agentcore -n "__fish_agentcore_using_subcommand help; and __fish_seen_subcommand_from endpoint" -f -a "list" -d 'The runtime\'s endpoints, with the version each serves'
complete -c agentcore -n "__fish_agentcore_using_subcommand help; and __fish_seen_subcommand_from endpoint" -f -a "create" -d 'A named endpoint, serving VERSION (default: the latest)'
complete -c agentcore -n "__fish_agentcore_using_subcommand help; and __fish_seen_subcommand_from endpoint" -f -a "update" -d 'Point a named endpoint at another version'
complete -c agentcore -n "__fish_agentcore_using_subcommand help; and __fish_seen_subcommand_from endpoint" -f -a "delete" -d 'Delete a named endpoint'
complete -c agentcore -n "__fish_agentcore_using_subcommand help; and __fish_seen_subcommand_from traces" -f -a "list" -d 'Recent traces, newest first: root span, spans, duration, session'
complete -c agentcore -n "__fish_agentcore_using_subcommand help; and __fish_seen_subcommand_from traces" -f -a "show" -d 'One trace\'s span tree'
complete -c agentcore -n "__fish_agentcore_using_subcommand help; and __fish_seen_subcommand_from memory" -f -a "actors" -d 'The actors with events'
complete -c agentcore -n "__fish_agentcore_using_subcommand help; and __fish_seen_subcommand_from memory" -f -a "sessions" -d 'An actor\'s sessions, newest first'
complete -c agentcore -n "__fish_agentcore_using_subcommand help; and __fish_seen_subcommand_from memory" -f -a "events" -d 'A session\'s events, newest first'
complete -c agentcore -n "__fish_agentcore_using_subcommand help; and __fish_seen_subcommand_from memory" -f -a "records" -d 'Long-term records, newest first'
complete -c agentcore -n "__fish_agentcore_using_subcommand help; and __fish_seen_subcommand_from memory" -f -a "search" -d 'Long-term records ranked for a query'

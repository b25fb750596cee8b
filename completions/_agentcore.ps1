
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'agentcore' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'agentcore'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'agentcore' {
            [CompletionResult]::new('-a', '-a', [CompletionResultType]::ParameterName, 'Agent to act on (default: the file''s default_agent, or its only agent)')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Agent to act on (default: the file''s default_agent, or its only agent)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'AWS region (default: the agent''s saved region, then the AWS environment)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: the agent''s saved region, then the AWS environment)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS named profile')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Result format on stdout')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-vv for debug logs)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-vv for debug logs)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour (also when NO_COLOR is set)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('configure', 'configure', [CompletionResultType]::ParameterValue, 'Configure an agent: writes .bedrock_agentcore.yaml, its Dockerfile and .dockerignore')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Create a new agent project (official Python SDK) and configure it')
            [CompletionResult]::new('dev', 'dev', [CompletionResultType]::ParameterValue, 'Run the local AgentCore Runtime emulator in front of your agent (or the bundled one)')
            [CompletionResult]::new('build', 'build', [CompletionResultType]::ParameterValue, 'Build the agent''s container image through the Docker Engine API')
            [CompletionResult]::new('deploy', 'deploy', [CompletionResultType]::ParameterValue, 'Build, push to ECR and create or update the agent runtime')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show the agent''s configuration and, when deployed, its runtime and endpoint')
            [CompletionResult]::new('destroy', 'destroy', [CompletionResultType]::ParameterValue, 'Delete what deploy created for the agent (runtime, images, role it made)')
            [CompletionResult]::new('invoke', 'invoke', [CompletionResultType]::ParameterValue, 'Call an agent (local emulator or deployed) and print its answer as it streams')
            [CompletionResult]::new('stop-session', 'stop-session', [CompletionResultType]::ParameterValue, 'End a runtime session (the given or the saved one)')
            [CompletionResult]::new('versions', 'versions', [CompletionResultType]::ParameterValue, 'The deployed runtime''s versions, with the artifact each runs and the endpoints serving it')
            [CompletionResult]::new('endpoint', 'endpoint', [CompletionResultType]::ParameterValue, 'The deployed runtime''s named endpoints: list, create, update, delete')
            [CompletionResult]::new('rollback', 'rollback', [CompletionResultType]::ParameterValue, 'Take a change back: point a named endpoint at an older version, or apply an older version''s image as a new version (DEFAULT follows the latest)')
            [CompletionResult]::new('logs', 'logs', [CompletionResultType]::ParameterValue, 'The deployed runtime''s logs (CloudWatch), or the local emulator''s with --local')
            [CompletionResult]::new('traces', 'traces', [CompletionResultType]::ParameterValue, 'The deployed agent''s traces (Transaction Search spans), or the local emulator''s')
            [CompletionResult]::new('exec', 'exec', [CompletionResultType]::ParameterValue, 'Run a command inside an agent''s session (InvokeAgentRuntimeCommand): its output as it comes, its exit status as ours')
            [CompletionResult]::new('shell', 'shell', [CompletionResultType]::ParameterValue, 'An interactive shell inside an agent''s session (a real terminal; its exit status as ours)')
            [CompletionResult]::new('memory', 'memory', [CompletionResultType]::ParameterValue, 'What the agent stored in AgentCore Memory: actors, sessions, events, records, a search (the deployed memory, or with --local dev''s)')
            [CompletionResult]::new('dev-token', 'dev-token', [CompletionResultType]::ParameterValue, 'Print a bearer token from `agentcore dev`''s own identity provider (for curl and scripts)')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print shell completions')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'agentcore;configure' {
            [CompletionResult]::new('-e', '-e', [CompletionResultType]::ParameterName, 'The agent''s Python file, or a directory holding agent.py, app.py, main.py or __main__.py')
            [CompletionResult]::new('--entrypoint', '--entrypoint', [CompletionResultType]::ParameterName, 'The agent''s Python file, or a directory holding agent.py, app.py, main.py or __main__.py')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Agent name (default: from the entrypoint path)')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Agent name (default: from the entrypoint path)')
            [CompletionResult]::new('--execution-role', '--execution-role', [CompletionResultType]::ParameterName, 'Execution role ARN or name (alias -er; default: created at deploy)')
            [CompletionResult]::new('--ecr', '--ecr', [CompletionResultType]::ParameterName, 'ECR repository URI or name, or `auto` to create one at deploy')
            [CompletionResult]::new('--requirements-file', '--requirements-file', [CompletionResultType]::ParameterName, 'requirements.txt or pyproject.toml (alias -rf; default: detected)')
            [CompletionResult]::new('--memory-id', '--memory-id', [CompletionResultType]::ParameterName, 'Use this existing memory instead of creating one')
            [CompletionResult]::new('--oauth2-provider', '--oauth2-provider', [CompletionResultType]::ParameterName, 'OAuth2 credential provider: name=N,vendor=V,client_id=${ID_VAR},client_secret=${SECRET_VAR}[,discovery_url=U] (repeatable)')
            [CompletionResult]::new('--authorizer-config', '--authorizer-config', [CompletionResultType]::ParameterName, 'Inbound JWT authorizer as JSON: {"customJWTAuthorizer": {...}} (alias -ac)')
            [CompletionResult]::new('--request-header-allowlist', '--request-header-allowlist', [CompletionResultType]::ParameterName, 'Headers passed through to the agent, comma-separated (alias -rha)')
            [CompletionResult]::new('--subnets', '--subnets', [CompletionResultType]::ParameterName, 'Subnet ids, comma-separated')
            [CompletionResult]::new('--security-groups', '--security-groups', [CompletionResultType]::ParameterName, 'Security group ids, comma-separated')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'Seconds a session may be idle before it stops (60-28800; service default 900)')
            [CompletionResult]::new('--max-lifetime', '--max-lifetime', [CompletionResultType]::ParameterName, 'Seconds a session may live (60-28800; service default 28800)')
            [CompletionResult]::new('--session-storage', '--session-storage', [CompletionResultType]::ParameterName, 'Give each session its own storage at this path (one directory under /mnt, e.g. /mnt/data), kept across stop and resume of the session; `none` removes it')
            [CompletionResult]::new('--s3-mount', '--s3-mount', [CompletionResultType]::ParameterName, 'Mount an S3 bucket into each session: `bucket=B,mount=/mnt/PATH[,prefix=P][,owner=ACCOUNT][,region=R]`; `{runtimeSessionId}` in the prefix gives each session its own (repeatable; replaces the saved ones; `none` removes them)')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Server protocol')
            [CompletionResult]::new('--protocol', '--protocol', [CompletionResultType]::ParameterName, 'Server protocol')
            [CompletionResult]::new('--deployment-type', '--deployment-type', [CompletionResultType]::ParameterName, 'How the agent is deployed: `container` (an image) or `direct_code_deploy` (a zip of the code and its arm64 dependencies in S3, no Docker) (alias -dt)')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Environment variable for the agent, K=V (repeatable; saved; `K=` removes K)')
            [CompletionResult]::new('-a', '-a', [CompletionResultType]::ParameterName, 'Agent to act on (default: the file''s default_agent, or its only agent)')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Agent to act on (default: the file''s default_agent, or its only agent)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'AWS region (default: the agent''s saved region, then the AWS environment)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: the agent''s saved region, then the AWS environment)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS named profile')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Result format on stdout')
            [CompletionResult]::new('--import', '--import', [CompletionResultType]::ParameterName, 'Write the official Node CLI''s project here (agentcore/agentcore.json, its targets and deployed state) as .bedrock_agentcore.yaml, for those who move')
            [CompletionResult]::new('--disable-otel', '--disable-otel', [CompletionResultType]::ParameterName, 'Turn off OpenTelemetry instrumentation (alias -do)')
            [CompletionResult]::new('--disable-memory', '--disable-memory', [CompletionResultType]::ParameterName, 'No AgentCore memory for this agent (alias -dm)')
            [CompletionResult]::new('--long-term-memory', '--long-term-memory', [CompletionResultType]::ParameterName, 'Long-term memory too (user preferences, semantic facts, session summaries)')
            [CompletionResult]::new('--vpc', '--vpc', [CompletionResultType]::ParameterName, 'Run in a VPC (needs --subnets and --security-groups)')
            [CompletionResult]::new('--non-interactive', '--non-interactive', [CompletionResultType]::ParameterName, 'Never prompt; use defaults or fail (alias -ni; implied when not on a terminal)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-vv for debug logs)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-vv for debug logs)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour (also when NO_COLOR is set)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the configured agents')
            [CompletionResult]::new('set-default', 'set-default', [CompletionResultType]::ParameterValue, 'Make NAME the default agent')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'agentcore;configure;list' {
            [CompletionResult]::new('-a', '-a', [CompletionResultType]::ParameterName, 'Agent to act on (default: the file''s default_agent, or its only agent)')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Agent to act on (default: the file''s default_agent, or its only agent)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'AWS region (default: the agent''s saved region, then the AWS environment)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: the agent''s saved region, then the AWS environment)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS named profile')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Result format on stdout')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-vv for debug logs)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-vv for debug logs)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour (also when NO_COLOR is set)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'agentcore;configure;set-default' {
            [CompletionResult]::new('-a', '-a', [CompletionResultType]::ParameterName, 'Agent to act on (default: the file''s default_agent, or its only agent)')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Agent to act on (default: the file''s default_agent, or its only agent)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'AWS region (default: the agent''s saved region, then the AWS environment)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: the agent''s saved region, then the AWS environment)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS named profile')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Result format on stdout')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-vv for debug logs)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-vv for debug logs)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour (also when NO_COLOR is set)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'agentcore;configure;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the configured agents')
            [CompletionResult]::new('set-default', 'set-default', [CompletionResultType]::ParameterValue, 'Make NAME the default agent')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'agentcore;configure;help;list' {
            break
        }
        'agentcore;configure;help;set-default' {
            break
        }
        'agentcore;configure;help;help' {
            break
        }
        'agentcore;init' {
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'What the agent speaks: HTTP (the official SDK''s app), MCP (an MCP server), A2A or AGUI; each on its protocol''s own official library in the chosen language')
            [CompletionResult]::new('--protocol', '--protocol', [CompletionResultType]::ParameterName, 'What the agent speaks: HTTP (the official SDK''s app), MCP (an MCP server), A2A or AGUI; each on its protocol''s own official library in the chosen language')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'The agent''s language: python, typescript (compiled by tsc for deployment, run by tsx in `dev`) or javascript')
            [CompletionResult]::new('--language', '--language', [CompletionResultType]::ParameterName, 'The agent''s language: python, typescript (compiled by tsc for deployment, run by tsx in `dev`) or javascript')
            [CompletionResult]::new('-a', '-a', [CompletionResultType]::ParameterName, 'Agent to act on (default: the file''s default_agent, or its only agent)')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Agent to act on (default: the file''s default_agent, or its only agent)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'AWS region (default: the agent''s saved region, then the AWS environment)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: the agent''s saved region, then the AWS environment)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS named profile')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Result format on stdout')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-vv for debug logs)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-vv for debug logs)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour (also when NO_COLOR is set)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'agentcore;dev' {
            [CompletionResult]::new('--max-traces', '--max-traces', [CompletionResultType]::ParameterName, 'Traces kept for /_agentcore/traces (the oldest go first; also bounded to 32 MB)')
            [CompletionResult]::new('--max-log-records', '--max-log-records', [CompletionResultType]::ParameterName, 'Log records kept for /_agentcore/logs (also bounded to 16 MB)')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'Port to listen on (0 picks a free one; the URL is printed on stdout)')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'Address to listen on (a non-loopback one also needs --allow-remote)')
            [CompletionResult]::new('--allow-origin', '--allow-origin', [CompletionResultType]::ParameterName, 'Let web pages of this origin call the emulator, with CORS (e.g. http://localhost:5173; repeatable)')
            [CompletionResult]::new('--allow-host', '--allow-host', [CompletionResultType]::ParameterName, 'Accept this Host name besides localhost and IP addresses (repeatable)')
            [CompletionResult]::new('--quota', '--quota', [CompletionResultType]::ParameterName, 'Change one emulated service quota, NAME=N (0 switches it off; repeatable). Quotas: invocations-per-second (25), account-invocations-per-second (1000), new-sessions-per-minute (100), active-sessions (5000 in us-east-1 and us-west-2, 2500 elsewhere), websocket-frames-per-second (250)')
            [CompletionResult]::new('--protocol', '--protocol', [CompletionResultType]::ParameterName, 'The bundled agent''s protocol: HTTP (the default), MCP (a small MCP server with a few tools), A2A or AGUI (agents that say back what they are told); your own agents'' protocols come from the project file')
            [CompletionResult]::new('--platform', '--platform', [CompletionResultType]::ParameterName, 'Image platform with --container (default: this machine''s, so it runs without emulation)')
            [CompletionResult]::new('--python', '--python', [CompletionResultType]::ParameterName, 'Python interpreter for the agent (default: .venv/bin/python, else `uv run`, else python3)')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'Idle time before a session stops, e.g. 900, 0.5, 15m (default: the agent''s setting, else 15m)')
            [CompletionResult]::new('--max-lifetime', '--max-lifetime', [CompletionResultType]::ParameterName, 'How long a session may live, e.g. 8h (default: the agent''s setting, else 8h)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Longest wait for an agent''s complete answer; then 424 RuntimeClientError (the service''s 15 min)')
            [CompletionResult]::new('--stream-timeout', '--stream-timeout', [CompletionResultType]::ParameterName, 'Longest a streamed answer or a WebSocket stays open (the service''s 60 min)')
            [CompletionResult]::new('--header-timeout', '--header-timeout', [CompletionResultType]::ParameterName, 'Longest a client may take to send a request''s headers (also ends idle connections)')
            [CompletionResult]::new('--max-connections', '--max-connections', [CompletionResultType]::ParameterName, 'Most client connections at once (default: from the open-file limit)')
            [CompletionResult]::new('--max-sessions', '--max-sessions', [CompletionResultType]::ParameterName, 'Most sessions at once; more get 402 ServiceQuotaExceededException')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Request log format on stderr')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Extra environment variable for the agent, K=V (repeatable)')
            [CompletionResult]::new('--data-plane', '--data-plane', [CompletionResultType]::ParameterName, 'Where the agents'' own AgentCore calls (Memory) go: `local` serves them from dev, offline; `aws` leaves them to the real service with your credentials')
            [CompletionResult]::new('--memory-store', '--memory-store', [CompletionResultType]::ParameterName, 'The local Memory store (default: .bedrock_agentcore/memory.sqlite3 beside the project file; kept across restarts)')
            [CompletionResult]::new('--memory-extraction-delay', '--memory-extraction-delay', [CompletionResultType]::ParameterName, 'How long long-term records made from an agent''s events stay unseen (in the cloud, extraction takes a minute or so), e.g. 0, 3s, 1m')
            [CompletionResult]::new('--ping-deadline', '--ping-deadline', [CompletionResultType]::ParameterName, 'How long an agent instance may take to answer its first /ping')
            [CompletionResult]::new('-a', '-a', [CompletionResultType]::ParameterName, 'Agent to act on (default: the file''s default_agent, or its only agent)')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Agent to act on (default: the file''s default_agent, or its only agent)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'AWS region (default: the agent''s saved region, then the AWS environment)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: the agent''s saved region, then the AWS environment)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS named profile')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Result format on stdout')
            [CompletionResult]::new('--open', '--open', [CompletionResultType]::ParameterName, 'Open the inspector (the emulator''s web page) in a browser; without one, its URL is printed as always')
            [CompletionResult]::new('--trace', '--trace', [CompletionResultType]::ParameterName, 'After each invocation, print its span tree (the emulator''s spans and the agent''s own, exported to dev''s OTLP receiver)')
            [CompletionResult]::new('--no-traces', '--no-traces', [CompletionResultType]::ParameterName, 'Make no spans for invocations (agents'' own OTLP exports are still received)')
            [CompletionResult]::new('--allow-remote', '--allow-remote', [CompletionResultType]::ParameterName, 'Allow listening on a non-loopback --host: other machines can then invoke your agents')
            [CompletionResult]::new('--no-quotas', '--no-quotas', [CompletionResultType]::ParameterName, 'Switch off every emulated service quota (no 429s)')
            [CompletionResult]::new('--bundled', '--bundled', [CompletionResultType]::ParameterName, 'Host the agent built into agentcore, even when a project is configured')
            [CompletionResult]::new('--container', '--container', [CompletionResultType]::ParameterName, 'Build the agent''s image and run one container per session (needs a Docker engine)')
            [CompletionResult]::new('--passthrough-errors', '--passthrough-errors', [CompletionResultType]::ParameterName, 'Also send the agent''s own error body to the client inside the 424 (debugging aid)')
            [CompletionResult]::new('--reload-sessions', '--reload-sessions', [CompletionResultType]::ParameterName, 'On a source change, restart live sessions too (new sessions always get new code)')
            [CompletionResult]::new('--no-spare', '--no-spare', [CompletionResultType]::ParameterName, 'Start each agent''s instances only when a session needs one (by default one is kept started ahead, so a new session need not wait for Python to start)')
            [CompletionResult]::new('--local-idp', '--local-idp', [CompletionResultType]::ParameterName, 'JWT agents trust dev''s own identity provider instead of their discoveryUrl (offline; get tokens with `agentcore dev-token`)')
            [CompletionResult]::new('--ephemeral', '--ephemeral', [CompletionResultType]::ParameterName, 'Keep local Memory only until dev stops')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-vv for debug logs)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-vv for debug logs)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour (also when NO_COLOR is set)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'agentcore;build' {
            [CompletionResult]::new('--platform', '--platform', [CompletionResultType]::ParameterName, 'Target platform (AgentCore Runtime runs linux/arm64)')
            [CompletionResult]::new('--tag', '--tag', [CompletionResultType]::ParameterName, 'Another tag for the image (repeatable)')
            [CompletionResult]::new('--build-arg', '--build-arg', [CompletionResultType]::ParameterName, 'Build argument K=V (repeatable)')
            [CompletionResult]::new('--network', '--network', [CompletionResultType]::ParameterName, 'The network RUN steps use, as `docker build --network` (e.g. `host` where only the host reaches the package registries); default `$AGENTCORE_BUILD_NETWORK`, else the engine''s')
            [CompletionResult]::new('--save-context', '--save-context', [CompletionResultType]::ParameterName, 'Write the build context tar to FILE (`-`: stdout) instead of building')
            [CompletionResult]::new('-a', '-a', [CompletionResultType]::ParameterName, 'Agent to act on (default: the file''s default_agent, or its only agent)')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Agent to act on (default: the file''s default_agent, or its only agent)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'AWS region (default: the agent''s saved region, then the AWS environment)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: the agent''s saved region, then the AWS environment)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS named profile')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Result format on stdout')
            [CompletionResult]::new('--no-cache', '--no-cache', [CompletionResultType]::ParameterName, 'Do not use the engine''s build cache')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Build on CodeBuild (arm64) and push to the agent''s ECR repository, instead of here')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-vv for debug logs)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-vv for debug logs)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour (also when NO_COLOR is set)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'agentcore;deploy' {
            [CompletionResult]::new('--platform', '--platform', [CompletionResultType]::ParameterName, 'Image platform (AgentCore Runtime runs linux/arm64)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for the runtime to be READY')
            [CompletionResult]::new('--endpoint-grace', '--endpoint-grace', [CompletionResultType]::ParameterName, 'Seconds to wait for the DEFAULT endpoint once the runtime is READY')
            [CompletionResult]::new('--memory-timeout', '--memory-timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for the agent''s memory to be ACTIVE')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'After the deploy, create or move this named endpoint to the new version (blue/green: deploy with --endpoint staging, try it, then `agentcore endpoint update prod --version N`)')
            [CompletionResult]::new('--build-timeout', '--build-timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for a remote build')
            [CompletionResult]::new('--s3-bucket', '--s3-bucket', [CompletionResultType]::ParameterName, 'S3 bucket for the code package or the remote build''s source (saved as aws.s3_path; default: bedrock-agentcore-codebuild-sources-ACCOUNT-REGION, created when missing)')
            [CompletionResult]::new('-a', '-a', [CompletionResultType]::ParameterName, 'Agent to act on (default: the file''s default_agent, or its only agent)')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Agent to act on (default: the file''s default_agent, or its only agent)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'AWS region (default: the agent''s saved region, then the AWS environment)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: the agent''s saved region, then the AWS environment)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS named profile')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Result format on stdout')
            [CompletionResult]::new('--no-cache', '--no-cache', [CompletionResultType]::ParameterName, 'Do not use the engine''s build cache')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the plan (with request bodies) and change nothing')
            [CompletionResult]::new('--no-wait', '--no-wait', [CompletionResultType]::ParameterName, 'Return once the runtime is created or updated, without waiting for READY')
            [CompletionResult]::new('--skip-memory-on-failure', '--skip-memory-on-failure', [CompletionResultType]::ParameterName, 'Deploy without memory if creating it fails (default: the deploy fails)')
            [CompletionResult]::new('--remote-build', '--remote-build', [CompletionResultType]::ParameterName, 'Build the image on CodeBuild (arm64) instead of here: for hosts that cannot build linux/arm64 (x86-64 without QEMU)')
            [CompletionResult]::new('--local-build', '--local-build', [CompletionResultType]::ParameterName, 'Build the image here even when this host cannot run arm64 build steps')
            [CompletionResult]::new('--force-rebuild-deps', '--force-rebuild-deps', [CompletionResultType]::ParameterName, 'Direct code deployment: install the dependencies again instead of reusing the cached arm64 layer')
            [CompletionResult]::new('--auto-update-on-conflict', '--auto-update-on-conflict', [CompletionResultType]::ParameterName, 'When the agent''s name is taken by a runtime this project did not deploy (another project''s, or one made outside agentcore), update that runtime instead of stopping')
            [CompletionResult]::new('--auc', '--auc', [CompletionResultType]::ParameterName, 'When the agent''s name is taken by a runtime this project did not deploy (another project''s, or one made outside agentcore), update that runtime instead of stopping')
            [CompletionResult]::new('--no-transaction-search', '--no-transaction-search', [CompletionResultType]::ParameterName, 'Leave the account''s Transaction Search (spans into CloudWatch''s aws/spans, which `agentcore traces` reads) as it is')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-vv for debug logs)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-vv for debug logs)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour (also when NO_COLOR is set)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'agentcore;status' {
            [CompletionResult]::new('-a', '-a', [CompletionResultType]::ParameterName, 'Agent to act on (default: the file''s default_agent, or its only agent)')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Agent to act on (default: the file''s default_agent, or its only agent)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'AWS region (default: the agent''s saved region, then the AWS environment)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: the agent''s saved region, then the AWS environment)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS named profile')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Result format on stdout')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-vv for debug logs)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-vv for debug logs)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour (also when NO_COLOR is set)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'agentcore;destroy' {
            [CompletionResult]::new('-a', '-a', [CompletionResultType]::ParameterName, 'Agent to act on (default: the file''s default_agent, or its only agent)')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Agent to act on (default: the file''s default_agent, or its only agent)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'AWS region (default: the agent''s saved region, then the AWS environment)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: the agent''s saved region, then the AWS environment)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS named profile')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Result format on stdout')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'List what would be deleted, delete nothing')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--delete-ecr-repo', '--delete-ecr-repo', [CompletionResultType]::ParameterName, 'Also delete the ECR repository')
            [CompletionResult]::new('--remove-config', '--remove-config', [CompletionResultType]::ParameterName, 'Also remove the agent from the project file')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-vv for debug logs)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-vv for debug logs)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour (also when NO_COLOR is set)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'agentcore;invoke' {
            [CompletionResult]::new('--mcp', '--mcp', [CompletionResultType]::ParameterName, 'Call an MCP agent: tools/list, tools/call NAME [ARGS], resources/list, resources/read URI, prompts/list, prompts/get NAME [ARGS], or any other method (the handshake is done)')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'The emulator''s port, with --local')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Session id (33-256 characters; default: the saved one, else a new one)')
            [CompletionResult]::new('--session-id', '--session-id', [CompletionResultType]::ParameterName, 'Session id (33-256 characters; default: the saved one, else a new one)')
            [CompletionResult]::new('--bearer-token', '--bearer-token', [CompletionResultType]::ParameterName, 'OAuth bearer token for agents with a JWT authorizer')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'End-user id (X-Amzn-Bedrock-AgentCore-Runtime-User-Id)')
            [CompletionResult]::new('--user-id', '--user-id', [CompletionResultType]::ParameterName, 'End-user id (X-Amzn-Bedrock-AgentCore-Runtime-User-Id)')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'Header for the agent, Name:Value (repeatable; gets the Custom- prefix unless allowlisted)')
            [CompletionResult]::new('--headers', '--headers', [CompletionResultType]::ParameterName, 'The official toolkit''s form: "Name:Value,Name:Value"')
            [CompletionResult]::new('--qualifier', '--qualifier', [CompletionResultType]::ParameterName, 'Endpoint to call')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'Endpoint to call')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for data before giving up (at least 1)')
            [CompletionResult]::new('-a', '-a', [CompletionResultType]::ParameterName, 'Agent to act on (default: the file''s default_agent, or its only agent)')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Agent to act on (default: the file''s default_agent, or its only agent)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'AWS region (default: the agent''s saved region, then the AWS environment)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: the agent''s saved region, then the AWS environment)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS named profile')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Result format on stdout')
            [CompletionResult]::new('--logs', '--logs', [CompletionResultType]::ParameterName, 'When a deployed agent fails, print its last log lines for the session (CloudWatch)')
            [CompletionResult]::new('--card', '--card', [CompletionResultType]::ParameterName, 'Print an A2A agent''s card (GetAgentCard)')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Call the local emulator (`agentcore dev`) instead of the deployed agent')
            [CompletionResult]::new('--local', '--local', [CompletionResultType]::ParameterName, 'Call the local emulator (`agentcore dev`) instead of the deployed agent')
            [CompletionResult]::new('--dev', '--dev', [CompletionResultType]::ParameterName, 'Call the local emulator (`agentcore dev`) instead of the deployed agent')
            [CompletionResult]::new('--new-session', '--new-session', [CompletionResultType]::ParameterName, 'Start a new conversation instead of continuing the saved session')
            [CompletionResult]::new('--raw', '--raw', [CompletionResultType]::ParameterName, 'Print the response bytes exactly as received (not with `--output json`, which prints the answer as JSON)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-vv for debug logs)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-vv for debug logs)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour (also when NO_COLOR is set)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'agentcore;stop-session' {
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Session to stop (default: the saved one)')
            [CompletionResult]::new('--session-id', '--session-id', [CompletionResultType]::ParameterName, 'Session to stop (default: the saved one)')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'The emulator''s port, with --local')
            [CompletionResult]::new('--qualifier', '--qualifier', [CompletionResultType]::ParameterName, 'Endpoint')
            [CompletionResult]::new('--bearer-token', '--bearer-token', [CompletionResultType]::ParameterName, 'OAuth bearer token for agents with a JWT authorizer')
            [CompletionResult]::new('-a', '-a', [CompletionResultType]::ParameterName, 'Agent to act on (default: the file''s default_agent, or its only agent)')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Agent to act on (default: the file''s default_agent, or its only agent)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'AWS region (default: the agent''s saved region, then the AWS environment)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: the agent''s saved region, then the AWS environment)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS named profile')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Result format on stdout')
            [CompletionResult]::new('--local', '--local', [CompletionResultType]::ParameterName, 'Stop it on the local emulator')
            [CompletionResult]::new('--dev', '--dev', [CompletionResultType]::ParameterName, 'Stop it on the local emulator')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-vv for debug logs)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-vv for debug logs)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour (also when NO_COLOR is set)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'agentcore;versions' {
            [CompletionResult]::new('-a', '-a', [CompletionResultType]::ParameterName, 'Agent to act on (default: the file''s default_agent, or its only agent)')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Agent to act on (default: the file''s default_agent, or its only agent)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'AWS region (default: the agent''s saved region, then the AWS environment)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: the agent''s saved region, then the AWS environment)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS named profile')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Result format on stdout')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-vv for debug logs)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-vv for debug logs)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour (also when NO_COLOR is set)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'agentcore;endpoint' {
            [CompletionResult]::new('-a', '-a', [CompletionResultType]::ParameterName, 'Agent to act on (default: the file''s default_agent, or its only agent)')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Agent to act on (default: the file''s default_agent, or its only agent)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'AWS region (default: the agent''s saved region, then the AWS environment)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: the agent''s saved region, then the AWS environment)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS named profile')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Result format on stdout')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-vv for debug logs)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-vv for debug logs)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour (also when NO_COLOR is set)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'The runtime''s endpoints, with the version each serves')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'A named endpoint, serving VERSION (default: the latest)')
            [CompletionResult]::new('update', 'update', [CompletionResultType]::ParameterValue, 'Point a named endpoint at another version')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a named endpoint')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'agentcore;endpoint;list' {
            [CompletionResult]::new('-a', '-a', [CompletionResultType]::ParameterName, 'Agent to act on (default: the file''s default_agent, or its only agent)')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Agent to act on (default: the file''s default_agent, or its only agent)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'AWS region (default: the agent''s saved region, then the AWS environment)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: the agent''s saved region, then the AWS environment)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS named profile')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Result format on stdout')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-vv for debug logs)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-vv for debug logs)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour (also when NO_COLOR is set)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'agentcore;endpoint;create' {
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'The runtime version to serve')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for the endpoint to serve its version')
            [CompletionResult]::new('-a', '-a', [CompletionResultType]::ParameterName, 'Agent to act on (default: the file''s default_agent, or its only agent)')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Agent to act on (default: the file''s default_agent, or its only agent)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'AWS region (default: the agent''s saved region, then the AWS environment)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: the agent''s saved region, then the AWS environment)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS named profile')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Result format on stdout')
            [CompletionResult]::new('--no-wait', '--no-wait', [CompletionResultType]::ParameterName, 'Return once the service took the change, without waiting for READY')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-vv for debug logs)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-vv for debug logs)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour (also when NO_COLOR is set)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'agentcore;endpoint;update' {
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'The runtime version to serve')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for the endpoint to serve its version')
            [CompletionResult]::new('-a', '-a', [CompletionResultType]::ParameterName, 'Agent to act on (default: the file''s default_agent, or its only agent)')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Agent to act on (default: the file''s default_agent, or its only agent)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'AWS region (default: the agent''s saved region, then the AWS environment)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: the agent''s saved region, then the AWS environment)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS named profile')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Result format on stdout')
            [CompletionResult]::new('--no-wait', '--no-wait', [CompletionResultType]::ParameterName, 'Return once the service took the change, without waiting for READY')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-vv for debug logs)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-vv for debug logs)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour (also when NO_COLOR is set)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'agentcore;endpoint;delete' {
            [CompletionResult]::new('-a', '-a', [CompletionResultType]::ParameterName, 'Agent to act on (default: the file''s default_agent, or its only agent)')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Agent to act on (default: the file''s default_agent, or its only agent)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'AWS region (default: the agent''s saved region, then the AWS environment)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: the agent''s saved region, then the AWS environment)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS named profile')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Result format on stdout')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-vv for debug logs)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-vv for debug logs)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour (also when NO_COLOR is set)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'agentcore;endpoint;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'The runtime''s endpoints, with the version each serves')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'A named endpoint, serving VERSION (default: the latest)')
            [CompletionResult]::new('update', 'update', [CompletionResultType]::ParameterValue, 'Point a named endpoint at another version')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a named endpoint')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'agentcore;endpoint;help;list' {
            break
        }
        'agentcore;endpoint;help;create' {
            break
        }
        'agentcore;endpoint;help;update' {
            break
        }
        'agentcore;endpoint;help;delete' {
            break
        }
        'agentcore;endpoint;help;help' {
            break
        }
        'agentcore;rollback' {
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'The version to go back to (default: the one before the current one)')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'Roll this named endpoint back instead of DEFAULT')
            [CompletionResult]::new('-a', '-a', [CompletionResultType]::ParameterName, 'Agent to act on (default: the file''s default_agent, or its only agent)')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Agent to act on (default: the file''s default_agent, or its only agent)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'AWS region (default: the agent''s saved region, then the AWS environment)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: the agent''s saved region, then the AWS environment)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS named profile')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Result format on stdout')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Say what would be done, do nothing')
            [CompletionResult]::new('--no-wait', '--no-wait', [CompletionResultType]::ParameterName, 'Return once the service took the change')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-vv for debug logs)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-vv for debug logs)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour (also when NO_COLOR is set)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'agentcore;logs' {
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'From this long ago (10m, 2h, 1d) or this time (2026-12-01T10:00:00Z); default 1h')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Up to this long ago or this time')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Only this session''s lines')
            [CompletionResult]::new('--session-id', '--session-id', [CompletionResultType]::ParameterName, 'Only this session''s lines')
            [CompletionResult]::new('--level', '--level', [CompletionResultType]::ParameterName, 'Only lines at this level or above (DEBUG, INFO, WARN, ERROR)')
            [CompletionResult]::new('--filter', '--filter', [CompletionResultType]::ParameterName, 'Only lines containing this text (a CloudWatch filter term)')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'The endpoint whose log group to read')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'At most this many lines (without --follow)')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'The emulator''s port, with --local')
            [CompletionResult]::new('-a', '-a', [CompletionResultType]::ParameterName, 'Agent to act on (default: the file''s default_agent, or its only agent)')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Agent to act on (default: the file''s default_agent, or its only agent)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'AWS region (default: the agent''s saved region, then the AWS environment)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: the agent''s saved region, then the AWS environment)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS named profile')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Result format on stdout')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Keep printing new lines until Ctrl-C')
            [CompletionResult]::new('--follow', '--follow', [CompletionResultType]::ParameterName, 'Keep printing new lines until Ctrl-C')
            [CompletionResult]::new('--local', '--local', [CompletionResultType]::ParameterName, 'Read the running `agentcore dev` instead')
            [CompletionResult]::new('--dev', '--dev', [CompletionResultType]::ParameterName, 'Read the running `agentcore dev` instead')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-vv for debug logs)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-vv for debug logs)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour (also when NO_COLOR is set)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'agentcore;traces' {
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'From this long ago (10m, 2h, 1d) or this time; default 12h')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'At most this many traces (list)')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'The emulator''s port, with --local')
            [CompletionResult]::new('-a', '-a', [CompletionResultType]::ParameterName, 'Agent to act on (default: the file''s default_agent, or its only agent)')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Agent to act on (default: the file''s default_agent, or its only agent)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'AWS region (default: the agent''s saved region, then the AWS environment)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: the agent''s saved region, then the AWS environment)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS named profile')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Result format on stdout')
            [CompletionResult]::new('--local', '--local', [CompletionResultType]::ParameterName, 'Read the running `agentcore dev` instead')
            [CompletionResult]::new('--dev', '--dev', [CompletionResultType]::ParameterName, 'Read the running `agentcore dev` instead')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-vv for debug logs)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-vv for debug logs)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour (also when NO_COLOR is set)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Recent traces, newest first: root span, spans, duration, session')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'One trace''s span tree')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'agentcore;traces;list' {
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'From this long ago (10m, 2h, 1d) or this time; default 12h')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'At most this many traces (list)')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'The emulator''s port, with --local')
            [CompletionResult]::new('-a', '-a', [CompletionResultType]::ParameterName, 'Agent to act on (default: the file''s default_agent, or its only agent)')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Agent to act on (default: the file''s default_agent, or its only agent)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'AWS region (default: the agent''s saved region, then the AWS environment)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: the agent''s saved region, then the AWS environment)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS named profile')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Result format on stdout')
            [CompletionResult]::new('--local', '--local', [CompletionResultType]::ParameterName, 'Read the running `agentcore dev` instead')
            [CompletionResult]::new('--dev', '--dev', [CompletionResultType]::ParameterName, 'Read the running `agentcore dev` instead')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-vv for debug logs)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-vv for debug logs)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour (also when NO_COLOR is set)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'agentcore;traces;show' {
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'From this long ago (10m, 2h, 1d) or this time; default 12h')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'At most this many traces (list)')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'The emulator''s port, with --local')
            [CompletionResult]::new('-a', '-a', [CompletionResultType]::ParameterName, 'Agent to act on (default: the file''s default_agent, or its only agent)')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Agent to act on (default: the file''s default_agent, or its only agent)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'AWS region (default: the agent''s saved region, then the AWS environment)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: the agent''s saved region, then the AWS environment)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS named profile')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Result format on stdout')
            [CompletionResult]::new('--local', '--local', [CompletionResultType]::ParameterName, 'Read the running `agentcore dev` instead')
            [CompletionResult]::new('--dev', '--dev', [CompletionResultType]::ParameterName, 'Read the running `agentcore dev` instead')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-vv for debug logs)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-vv for debug logs)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour (also when NO_COLOR is set)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'agentcore;traces;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Recent traces, newest first: root span, spans, duration, session')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'One trace''s span tree')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'agentcore;traces;help;list' {
            break
        }
        'agentcore;traces;help;show' {
            break
        }
        'agentcore;traces;help;help' {
            break
        }
        'agentcore;exec' {
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'The session (default: a new one, started as an invocation would start it)')
            [CompletionResult]::new('--session-id', '--session-id', [CompletionResultType]::ParameterName, 'The session (default: a new one, started as an invocation would start it)')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'The emulator''s port, with --local')
            [CompletionResult]::new('--qualifier', '--qualifier', [CompletionResultType]::ParameterName, 'The endpoint (qualifier)')
            [CompletionResult]::new('--bearer-token', '--bearer-token', [CompletionResultType]::ParameterName, 'A bearer token, for an agent with a JWT authorizer')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds the command may run (the service''s limit is 3600)')
            [CompletionResult]::new('-a', '-a', [CompletionResultType]::ParameterName, 'Agent to act on (default: the file''s default_agent, or its only agent)')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Agent to act on (default: the file''s default_agent, or its only agent)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'AWS region (default: the agent''s saved region, then the AWS environment)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: the agent''s saved region, then the AWS environment)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS named profile')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Result format on stdout')
            [CompletionResult]::new('--local', '--local', [CompletionResultType]::ParameterName, 'Reach the running `agentcore dev` instead')
            [CompletionResult]::new('--dev', '--dev', [CompletionResultType]::ParameterName, 'Reach the running `agentcore dev` instead')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-vv for debug logs)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-vv for debug logs)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour (also when NO_COLOR is set)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'agentcore;shell' {
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'The session (default: a new one, started as an invocation would start it)')
            [CompletionResult]::new('--session-id', '--session-id', [CompletionResultType]::ParameterName, 'The session (default: a new one, started as an invocation would start it)')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'The emulator''s port, with --local')
            [CompletionResult]::new('--qualifier', '--qualifier', [CompletionResultType]::ParameterName, 'The endpoint (qualifier)')
            [CompletionResult]::new('--bearer-token', '--bearer-token', [CompletionResultType]::ParameterName, 'A bearer token, for an agent with a JWT authorizer')
            [CompletionResult]::new('--shell-id', '--shell-id', [CompletionResultType]::ParameterName, 'Reattach to this shell of the session, one whose connection dropped (default: a new shell)')
            [CompletionResult]::new('-a', '-a', [CompletionResultType]::ParameterName, 'Agent to act on (default: the file''s default_agent, or its only agent)')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Agent to act on (default: the file''s default_agent, or its only agent)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'AWS region (default: the agent''s saved region, then the AWS environment)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: the agent''s saved region, then the AWS environment)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS named profile')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Result format on stdout')
            [CompletionResult]::new('--local', '--local', [CompletionResultType]::ParameterName, 'Reach the running `agentcore dev` instead')
            [CompletionResult]::new('--dev', '--dev', [CompletionResultType]::ParameterName, 'Reach the running `agentcore dev` instead')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-vv for debug logs)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-vv for debug logs)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour (also when NO_COLOR is set)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'agentcore;memory' {
            [CompletionResult]::new('--memory-id', '--memory-id', [CompletionResultType]::ParameterName, 'The memory to read (default: the agent''s, from the project file)')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'The emulator''s port, with --local')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'At most this many items')
            [CompletionResult]::new('-a', '-a', [CompletionResultType]::ParameterName, 'Agent to act on (default: the file''s default_agent, or its only agent)')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Agent to act on (default: the file''s default_agent, or its only agent)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'AWS region (default: the agent''s saved region, then the AWS environment)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: the agent''s saved region, then the AWS environment)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS named profile')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Result format on stdout')
            [CompletionResult]::new('--local', '--local', [CompletionResultType]::ParameterName, 'Read the running `agentcore dev` instead')
            [CompletionResult]::new('--dev', '--dev', [CompletionResultType]::ParameterName, 'Read the running `agentcore dev` instead')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-vv for debug logs)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-vv for debug logs)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour (also when NO_COLOR is set)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('actors', 'actors', [CompletionResultType]::ParameterValue, 'The actors with events')
            [CompletionResult]::new('sessions', 'sessions', [CompletionResultType]::ParameterValue, 'An actor''s sessions, newest first')
            [CompletionResult]::new('events', 'events', [CompletionResultType]::ParameterValue, 'A session''s events, newest first')
            [CompletionResult]::new('records', 'records', [CompletionResultType]::ParameterValue, 'Long-term records, newest first')
            [CompletionResult]::new('search', 'search', [CompletionResultType]::ParameterValue, 'Long-term records ranked for a query')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'agentcore;memory;actors' {
            [CompletionResult]::new('--memory-id', '--memory-id', [CompletionResultType]::ParameterName, 'The memory to read (default: the agent''s, from the project file)')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'The emulator''s port, with --local')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'At most this many items')
            [CompletionResult]::new('-a', '-a', [CompletionResultType]::ParameterName, 'Agent to act on (default: the file''s default_agent, or its only agent)')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Agent to act on (default: the file''s default_agent, or its only agent)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'AWS region (default: the agent''s saved region, then the AWS environment)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: the agent''s saved region, then the AWS environment)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS named profile')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Result format on stdout')
            [CompletionResult]::new('--local', '--local', [CompletionResultType]::ParameterName, 'Read the running `agentcore dev` instead')
            [CompletionResult]::new('--dev', '--dev', [CompletionResultType]::ParameterName, 'Read the running `agentcore dev` instead')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-vv for debug logs)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-vv for debug logs)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour (also when NO_COLOR is set)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'agentcore;memory;sessions' {
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'actor')
            [CompletionResult]::new('--memory-id', '--memory-id', [CompletionResultType]::ParameterName, 'The memory to read (default: the agent''s, from the project file)')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'The emulator''s port, with --local')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'At most this many items')
            [CompletionResult]::new('-a', '-a', [CompletionResultType]::ParameterName, 'Agent to act on (default: the file''s default_agent, or its only agent)')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Agent to act on (default: the file''s default_agent, or its only agent)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'AWS region (default: the agent''s saved region, then the AWS environment)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: the agent''s saved region, then the AWS environment)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS named profile')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Result format on stdout')
            [CompletionResult]::new('--local', '--local', [CompletionResultType]::ParameterName, 'Read the running `agentcore dev` instead')
            [CompletionResult]::new('--dev', '--dev', [CompletionResultType]::ParameterName, 'Read the running `agentcore dev` instead')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-vv for debug logs)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-vv for debug logs)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour (also when NO_COLOR is set)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'agentcore;memory;events' {
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'actor')
            [CompletionResult]::new('--session', '--session', [CompletionResultType]::ParameterName, 'session')
            [CompletionResult]::new('--memory-id', '--memory-id', [CompletionResultType]::ParameterName, 'The memory to read (default: the agent''s, from the project file)')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'The emulator''s port, with --local')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'At most this many items')
            [CompletionResult]::new('-a', '-a', [CompletionResultType]::ParameterName, 'Agent to act on (default: the file''s default_agent, or its only agent)')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Agent to act on (default: the file''s default_agent, or its only agent)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'AWS region (default: the agent''s saved region, then the AWS environment)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: the agent''s saved region, then the AWS environment)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS named profile')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Result format on stdout')
            [CompletionResult]::new('--local', '--local', [CompletionResultType]::ParameterName, 'Read the running `agentcore dev` instead')
            [CompletionResult]::new('--dev', '--dev', [CompletionResultType]::ParameterName, 'Read the running `agentcore dev` instead')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-vv for debug logs)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-vv for debug logs)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour (also when NO_COLOR is set)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'agentcore;memory;records' {
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Only records under this namespace path (e.g. /users/alice/)')
            [CompletionResult]::new('--memory-id', '--memory-id', [CompletionResultType]::ParameterName, 'The memory to read (default: the agent''s, from the project file)')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'The emulator''s port, with --local')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'At most this many items')
            [CompletionResult]::new('-a', '-a', [CompletionResultType]::ParameterName, 'Agent to act on (default: the file''s default_agent, or its only agent)')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Agent to act on (default: the file''s default_agent, or its only agent)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'AWS region (default: the agent''s saved region, then the AWS environment)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: the agent''s saved region, then the AWS environment)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS named profile')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Result format on stdout')
            [CompletionResult]::new('--local', '--local', [CompletionResultType]::ParameterName, 'Read the running `agentcore dev` instead')
            [CompletionResult]::new('--dev', '--dev', [CompletionResultType]::ParameterName, 'Read the running `agentcore dev` instead')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-vv for debug logs)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-vv for debug logs)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour (also when NO_COLOR is set)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'agentcore;memory;search' {
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Only records under this namespace path')
            [CompletionResult]::new('--top-k', '--top-k', [CompletionResultType]::ParameterName, 'top-k')
            [CompletionResult]::new('--memory-id', '--memory-id', [CompletionResultType]::ParameterName, 'The memory to read (default: the agent''s, from the project file)')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'The emulator''s port, with --local')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'At most this many items')
            [CompletionResult]::new('-a', '-a', [CompletionResultType]::ParameterName, 'Agent to act on (default: the file''s default_agent, or its only agent)')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Agent to act on (default: the file''s default_agent, or its only agent)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'AWS region (default: the agent''s saved region, then the AWS environment)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: the agent''s saved region, then the AWS environment)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS named profile')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Result format on stdout')
            [CompletionResult]::new('--local', '--local', [CompletionResultType]::ParameterName, 'Read the running `agentcore dev` instead')
            [CompletionResult]::new('--dev', '--dev', [CompletionResultType]::ParameterName, 'Read the running `agentcore dev` instead')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-vv for debug logs)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-vv for debug logs)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour (also when NO_COLOR is set)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'agentcore;memory;help' {
            [CompletionResult]::new('actors', 'actors', [CompletionResultType]::ParameterValue, 'The actors with events')
            [CompletionResult]::new('sessions', 'sessions', [CompletionResultType]::ParameterValue, 'An actor''s sessions, newest first')
            [CompletionResult]::new('events', 'events', [CompletionResultType]::ParameterValue, 'A session''s events, newest first')
            [CompletionResult]::new('records', 'records', [CompletionResultType]::ParameterValue, 'Long-term records, newest first')
            [CompletionResult]::new('search', 'search', [CompletionResultType]::ParameterValue, 'Long-term records ranked for a query')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'agentcore;memory;help;actors' {
            break
        }
        'agentcore;memory;help;sessions' {
            break
        }
        'agentcore;memory;help;events' {
            break
        }
        'agentcore;memory;help;records' {
            break
        }
        'agentcore;memory;help;search' {
            break
        }
        'agentcore;memory;help;help' {
            break
        }
        'agentcore;dev-token' {
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'The emulator''s port')
            [CompletionResult]::new('--client-id', '--client-id', [CompletionResultType]::ParameterName, 'Client id (default: the agent''s first allowedClients)')
            [CompletionResult]::new('--audience', '--audience', [CompletionResultType]::ParameterName, 'Audience, repeatable (default: the agent''s first allowedAudience)')
            [CompletionResult]::new('--scope', '--scope', [CompletionResultType]::ParameterName, 'Scope, repeatable (default: the agent''s allowedScopes)')
            [CompletionResult]::new('--claim', '--claim', [CompletionResultType]::ParameterName, 'Extra claim NAME=VALUE, repeatable; VALUE is JSON if it parses, else a string')
            [CompletionResult]::new('--expires-in', '--expires-in', [CompletionResultType]::ParameterName, 'Seconds the token is valid (1-86400)')
            [CompletionResult]::new('-a', '-a', [CompletionResultType]::ParameterName, 'Agent to act on (default: the file''s default_agent, or its only agent)')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Agent to act on (default: the file''s default_agent, or its only agent)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'AWS region (default: the agent''s saved region, then the AWS environment)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: the agent''s saved region, then the AWS environment)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS named profile')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Result format on stdout')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-vv for debug logs)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-vv for debug logs)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour (also when NO_COLOR is set)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'agentcore;completions' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Write every shell''s file into DIR instead (how completions/ is kept current)')
            [CompletionResult]::new('-a', '-a', [CompletionResultType]::ParameterName, 'Agent to act on (default: the file''s default_agent, or its only agent)')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Agent to act on (default: the file''s default_agent, or its only agent)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'AWS region (default: the agent''s saved region, then the AWS environment)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: the agent''s saved region, then the AWS environment)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS named profile')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Result format on stdout')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-vv for debug logs)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-vv for debug logs)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colour (also when NO_COLOR is set)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'agentcore;help' {
            [CompletionResult]::new('configure', 'configure', [CompletionResultType]::ParameterValue, 'Configure an agent: writes .bedrock_agentcore.yaml, its Dockerfile and .dockerignore')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Create a new agent project (official Python SDK) and configure it')
            [CompletionResult]::new('dev', 'dev', [CompletionResultType]::ParameterValue, 'Run the local AgentCore Runtime emulator in front of your agent (or the bundled one)')
            [CompletionResult]::new('build', 'build', [CompletionResultType]::ParameterValue, 'Build the agent''s container image through the Docker Engine API')
            [CompletionResult]::new('deploy', 'deploy', [CompletionResultType]::ParameterValue, 'Build, push to ECR and create or update the agent runtime')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show the agent''s configuration and, when deployed, its runtime and endpoint')
            [CompletionResult]::new('destroy', 'destroy', [CompletionResultType]::ParameterValue, 'Delete what deploy created for the agent (runtime, images, role it made)')
            [CompletionResult]::new('invoke', 'invoke', [CompletionResultType]::ParameterValue, 'Call an agent (local emulator or deployed) and print its answer as it streams')
            [CompletionResult]::new('stop-session', 'stop-session', [CompletionResultType]::ParameterValue, 'End a runtime session (the given or the saved one)')
            [CompletionResult]::new('versions', 'versions', [CompletionResultType]::ParameterValue, 'The deployed runtime''s versions, with the artifact each runs and the endpoints serving it')
            [CompletionResult]::new('endpoint', 'endpoint', [CompletionResultType]::ParameterValue, 'The deployed runtime''s named endpoints: list, create, update, delete')
            [CompletionResult]::new('rollback', 'rollback', [CompletionResultType]::ParameterValue, 'Take a change back: point a named endpoint at an older version, or apply an older version''s image as a new version (DEFAULT follows the latest)')
            [CompletionResult]::new('logs', 'logs', [CompletionResultType]::ParameterValue, 'The deployed runtime''s logs (CloudWatch), or the local emulator''s with --local')
            [CompletionResult]::new('traces', 'traces', [CompletionResultType]::ParameterValue, 'The deployed agent''s traces (Transaction Search spans), or the local emulator''s')
            [CompletionResult]::new('exec', 'exec', [CompletionResultType]::ParameterValue, 'Run a command inside an agent''s session (InvokeAgentRuntimeCommand): its output as it comes, its exit status as ours')
            [CompletionResult]::new('shell', 'shell', [CompletionResultType]::ParameterValue, 'An interactive shell inside an agent''s session (a real terminal; its exit status as ours)')
            [CompletionResult]::new('memory', 'memory', [CompletionResultType]::ParameterValue, 'What the agent stored in AgentCore Memory: actors, sessions, events, records, a search (the deployed memory, or with --local dev''s)')
            [CompletionResult]::new('dev-token', 'dev-token', [CompletionResultType]::ParameterValue, 'Print a bearer token from `agentcore dev`''s own identity provider (for curl and scripts)')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print shell completions')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'agentcore;help;configure' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the configured agents')
            [CompletionResult]::new('set-default', 'set-default', [CompletionResultType]::ParameterValue, 'Make NAME the default agent')
            break
        }
        'agentcore;help;configure;list' {
            break
        }
        'agentcore;help;configure;set-default' {
            break
        }
        'agentcore;help;init' {
            break
        }
        'agentcore;help;dev' {
            break
        }
        'agentcore;help;build' {
            break
        }
        'agentcore;help;deploy' {
            break
        }
        'agentcore;help;status' {
            break
        }
        'agentcore;help;destroy' {
            break
        }
        'agentcore;help;invoke' {
            break
        }
        'agentcore;help;stop-session' {
            break
        }
        'agentcore;help;versions' {
            break
        }
        'agentcore;help;endpoint' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'The runtime''s endpoints, with the version each serves')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'A named endpoint, serving VERSION (default: the latest)')
            [CompletionResult]::new('update', 'update', [CompletionResultType]::ParameterValue, 'Point a named endpoint at another version')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a named endpoint')
            break
        }
        'agentcore;help;endpoint;list' {
            break
        }
        'agentcore;help;endpoint;create' {
            break
        }
        'agentcore;help;endpoint;update' {
            break
        }
        'agentcore;help;endpoint;delete' {
            break
        }
        'agentcore;help;rollback' {
            break
        }
        'agentcore;help;logs' {
            break
        }
        'agentcore;help;traces' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Recent traces, newest first: root span, spans, duration, session')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'One trace''s span tree')
            break
        }
        'agentcore;help;traces;list' {
            break
        }
        'agentcore;help;traces;show' {
            break
        }
        'agentcore;help;exec' {
            break
        }
        'agentcore;help;shell' {
            break
        }
        'agentcore;help;memory' {
            [CompletionResult]::new('actors', 'actors', [CompletionResultType]::ParameterValue, 'The actors with events')
            [CompletionResult]::new('sessions', 'sessions', [CompletionResultType]::ParameterValue, 'An actor''s sessions, newest first')
            [CompletionResult]::new('events', 'events', [CompletionResultType]::ParameterValue, 'A session''s events, newest first')
            [CompletionResult]::new('records', 'records', [CompletionResultType]::ParameterValue, 'Long-term records, newest first')
            [CompletionResult]::new('search', 'search', [CompletionResultType]::ParameterValue, 'Long-term records ranked for a query')
            break
        }
        'agentcore;help;memory;actors' {
            break
        }
        'agentcore;help;memory;sessions' {
            break
        }
        'agentcore;help;memory;events' {
            break
        }
        'agentcore;help;memory;records' {
            break
        }
        'agentcore;help;memory;search' {
            break
        }
        'agentcore;help;dev-token' {
            break
        }
        'agentcore;help;completions' {
            break
        }
        'agentcore;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}

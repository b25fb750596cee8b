
use builtin;
use str;

set edit:completion:arg-completer[agentcore] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'agentcore'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'agentcore'= {
            cand -a 'Agent to act on (default: the file''s default_agent, or its only agent)'
            cand --agent 'Agent to act on (default: the file''s default_agent, or its only agent)'
            cand --config 'Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)'
            cand --region 'AWS region (default: the agent''s saved region, then the AWS environment)'
            cand --profile 'AWS named profile'
            cand --output 'Result format on stdout'
            cand -v 'More detail on stderr (-vv for debug logs)'
            cand --verbose 'More detail on stderr (-vv for debug logs)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-color 'No colour (also when NO_COLOR is set)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand configure 'Configure an agent: writes .bedrock_agentcore.yaml, its Dockerfile and .dockerignore'
            cand init 'Create a new agent project (official Python SDK) and configure it'
            cand dev 'Run the local AgentCore Runtime emulator in front of your agent (or the bundled one)'
            cand build 'Build the agent''s container image through the Docker Engine API'
            cand deploy 'Build, push to ECR and create or update the agent runtime'
            cand status 'Show the agent''s configuration and, when deployed, its runtime and endpoint'
            cand destroy 'Delete what deploy created for the agent (runtime, images, role it made)'
            cand invoke 'Call an agent (local emulator or deployed) and print its answer as it streams'
            cand stop-session 'End a runtime session (the given or the saved one)'
            cand versions 'The deployed runtime''s versions, with the artifact each runs and the endpoints serving it'
            cand endpoint 'The deployed runtime''s named endpoints: list, create, update, delete'
            cand rollback 'Take a change back: point a named endpoint at an older version, or apply an older version''s image as a new version (DEFAULT follows the latest)'
            cand logs 'The deployed runtime''s logs (CloudWatch), or the local emulator''s with --local'
            cand traces 'The deployed agent''s traces (Transaction Search spans), or the local emulator''s'
            cand exec 'Run a command inside an agent''s session (InvokeAgentRuntimeCommand): its output as it comes, its exit status as ours'
            cand shell 'An interactive shell inside an agent''s session (a real terminal; its exit status as ours)'
            cand memory 'What the agent stored in AgentCore Memory: actors, sessions, events, records, a search (the deployed memory, or with --local dev''s)'
            cand dev-token 'Print a bearer token from `agentcore dev`''s own identity provider (for curl and scripts)'
            cand completions 'Print shell completions'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'agentcore;configure'= {
            cand -e 'The agent''s Python file, or a directory holding agent.py, app.py, main.py or __main__.py'
            cand --entrypoint 'The agent''s Python file, or a directory holding agent.py, app.py, main.py or __main__.py'
            cand -n 'Agent name (default: from the entrypoint path)'
            cand --name 'Agent name (default: from the entrypoint path)'
            cand --execution-role 'Execution role ARN or name (alias -er; default: created at deploy)'
            cand --ecr 'ECR repository URI or name, or `auto` to create one at deploy'
            cand --requirements-file 'requirements.txt or pyproject.toml (alias -rf; default: detected)'
            cand --memory-id 'Use this existing memory instead of creating one'
            cand --oauth2-provider 'OAuth2 credential provider: name=N,vendor=V,client_id=${ID_VAR},client_secret=${SECRET_VAR}[,discovery_url=U] (repeatable)'
            cand --authorizer-config 'Inbound JWT authorizer as JSON: {"customJWTAuthorizer": {...}} (alias -ac)'
            cand --request-header-allowlist 'Headers passed through to the agent, comma-separated (alias -rha)'
            cand --subnets 'Subnet ids, comma-separated'
            cand --security-groups 'Security group ids, comma-separated'
            cand --idle-timeout 'Seconds a session may be idle before it stops (60-28800; service default 900)'
            cand --max-lifetime 'Seconds a session may live (60-28800; service default 28800)'
            cand --session-storage 'Give each session its own storage at this path (one directory under /mnt, e.g. /mnt/data), kept across stop and resume of the session; `none` removes it'
            cand -p 'Server protocol'
            cand --protocol 'Server protocol'
            cand --deployment-type 'How the agent is deployed: `container` (an image) or `direct_code_deploy` (a zip of the code and its arm64 dependencies in S3, no Docker) (alias -dt)'
            cand --env 'Environment variable for the agent, K=V (repeatable; saved; `K=` removes K)'
            cand -a 'Agent to act on (default: the file''s default_agent, or its only agent)'
            cand --agent 'Agent to act on (default: the file''s default_agent, or its only agent)'
            cand --config 'Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)'
            cand --region 'AWS region (default: the agent''s saved region, then the AWS environment)'
            cand --profile 'AWS named profile'
            cand --output 'Result format on stdout'
            cand --import 'Write the official Node CLI''s project here (agentcore/agentcore.json, its targets and deployed state) as .bedrock_agentcore.yaml, for those who move'
            cand --disable-otel 'Turn off OpenTelemetry instrumentation (alias -do)'
            cand --disable-memory 'No AgentCore memory for this agent (alias -dm)'
            cand --long-term-memory 'Long-term memory too (user preferences, semantic facts, session summaries)'
            cand --vpc 'Run in a VPC (needs --subnets and --security-groups)'
            cand --non-interactive 'Never prompt; use defaults or fail (alias -ni; implied when not on a terminal)'
            cand -v 'More detail on stderr (-vv for debug logs)'
            cand --verbose 'More detail on stderr (-vv for debug logs)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-color 'No colour (also when NO_COLOR is set)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'List the configured agents'
            cand set-default 'Make NAME the default agent'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'agentcore;configure;list'= {
            cand -a 'Agent to act on (default: the file''s default_agent, or its only agent)'
            cand --agent 'Agent to act on (default: the file''s default_agent, or its only agent)'
            cand --config 'Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)'
            cand --region 'AWS region (default: the agent''s saved region, then the AWS environment)'
            cand --profile 'AWS named profile'
            cand --output 'Result format on stdout'
            cand -v 'More detail on stderr (-vv for debug logs)'
            cand --verbose 'More detail on stderr (-vv for debug logs)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-color 'No colour (also when NO_COLOR is set)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'agentcore;configure;set-default'= {
            cand -a 'Agent to act on (default: the file''s default_agent, or its only agent)'
            cand --agent 'Agent to act on (default: the file''s default_agent, or its only agent)'
            cand --config 'Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)'
            cand --region 'AWS region (default: the agent''s saved region, then the AWS environment)'
            cand --profile 'AWS named profile'
            cand --output 'Result format on stdout'
            cand -v 'More detail on stderr (-vv for debug logs)'
            cand --verbose 'More detail on stderr (-vv for debug logs)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-color 'No colour (also when NO_COLOR is set)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'agentcore;configure;help'= {
            cand list 'List the configured agents'
            cand set-default 'Make NAME the default agent'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'agentcore;configure;help;list'= {
        }
        &'agentcore;configure;help;set-default'= {
        }
        &'agentcore;configure;help;help'= {
        }
        &'agentcore;init'= {
            cand -p 'What the agent speaks: HTTP (the SDK''s BedrockAgentCoreApp), MCP (a FastMCP server), A2A (serve_a2a) or AGUI (AGUIApp)'
            cand --protocol 'What the agent speaks: HTTP (the SDK''s BedrockAgentCoreApp), MCP (a FastMCP server), A2A (serve_a2a) or AGUI (AGUIApp)'
            cand -l 'The agent''s language: python, typescript (compiled by tsc for deployment, run by tsx in `dev`) or javascript'
            cand --language 'The agent''s language: python, typescript (compiled by tsc for deployment, run by tsx in `dev`) or javascript'
            cand -a 'Agent to act on (default: the file''s default_agent, or its only agent)'
            cand --agent 'Agent to act on (default: the file''s default_agent, or its only agent)'
            cand --config 'Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)'
            cand --region 'AWS region (default: the agent''s saved region, then the AWS environment)'
            cand --profile 'AWS named profile'
            cand --output 'Result format on stdout'
            cand -v 'More detail on stderr (-vv for debug logs)'
            cand --verbose 'More detail on stderr (-vv for debug logs)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-color 'No colour (also when NO_COLOR is set)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'agentcore;dev'= {
            cand --max-traces 'Traces kept for /_agentcore/traces (the oldest go first; also bounded to 32 MB)'
            cand --max-log-records 'Log records kept for /_agentcore/logs (also bounded to 16 MB)'
            cand --port 'Port to listen on (0 picks a free one; the URL is printed on stdout)'
            cand --host 'Address to listen on (a non-loopback one also needs --allow-remote)'
            cand --allow-origin 'Let web pages of this origin call the emulator, with CORS (e.g. http://localhost:5173; repeatable)'
            cand --allow-host 'Accept this Host name besides localhost and IP addresses (repeatable)'
            cand --quota 'Change one emulated service quota, NAME=N (0 switches it off; repeatable). Quotas: invocations-per-second (25), account-invocations-per-second (1000), new-sessions-per-minute (100), active-sessions (1000), websocket-frames-per-second (250)'
            cand --protocol 'The bundled agent''s protocol: HTTP (the default), MCP (a small MCP server with a few tools), A2A or AGUI (agents that say back what they are told); your own agents'' protocols come from the project file'
            cand --platform 'Image platform with --container (default: this machine''s, so it runs without emulation)'
            cand --python 'Python interpreter for the agent (default: .venv/bin/python, else `uv run`, else python3)'
            cand --idle-timeout 'Idle time before a session stops, e.g. 900, 0.5, 15m (default: the agent''s setting, else 15m)'
            cand --max-lifetime 'How long a session may live, e.g. 8h (default: the agent''s setting, else 8h)'
            cand --request-timeout 'Longest wait for an agent''s complete answer; then 424 RuntimeClientError (the service''s 15 min)'
            cand --stream-timeout 'Longest a streamed answer or a WebSocket stays open (the service''s 60 min)'
            cand --header-timeout 'Longest a client may take to send a request''s headers (also ends idle connections)'
            cand --max-connections 'Most client connections at once (default: from the open-file limit)'
            cand --max-sessions 'Most sessions at once; more get 402 ServiceQuotaExceededException'
            cand --log-format 'Request log format on stderr'
            cand --env 'Extra environment variable for the agent, K=V (repeatable)'
            cand --data-plane 'Where the agents'' own AgentCore calls (Memory) go: `local` serves them from dev, offline; `aws` leaves them to the real service with your credentials'
            cand --memory-store 'The local Memory store (default: .bedrock_agentcore/memory.sqlite3 beside the project file; kept across restarts)'
            cand --memory-extraction-delay 'How long long-term records made from an agent''s events stay unseen (in the cloud, extraction takes a minute or so), e.g. 0, 3s, 1m'
            cand --ping-deadline 'How long an agent instance may take to answer its first /ping'
            cand -a 'Agent to act on (default: the file''s default_agent, or its only agent)'
            cand --agent 'Agent to act on (default: the file''s default_agent, or its only agent)'
            cand --config 'Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)'
            cand --region 'AWS region (default: the agent''s saved region, then the AWS environment)'
            cand --profile 'AWS named profile'
            cand --output 'Result format on stdout'
            cand --open 'Open the inspector (the emulator''s web page) in a browser; without one, its URL is printed as always'
            cand --trace 'After each invocation, print its span tree (the emulator''s spans and the agent''s own, exported to dev''s OTLP receiver)'
            cand --no-traces 'Make no spans for invocations (agents'' own OTLP exports are still received)'
            cand --allow-remote 'Allow listening on a non-loopback --host: other machines can then invoke your agents'
            cand --no-quotas 'Switch off every emulated service quota (no 429s)'
            cand --bundled 'Host the agent built into agentcore, even when a project is configured'
            cand --container 'Build the agent''s image and run one container per session (needs a Docker engine)'
            cand --passthrough-errors 'Also send the agent''s own error body to the client inside the 424 (debugging aid)'
            cand --reload-sessions 'On a source change, restart live sessions too (new sessions always get new code)'
            cand --no-spare 'Start each agent''s instances only when a session needs one (by default one is kept started ahead, so a new session need not wait for Python to start)'
            cand --local-idp 'JWT agents trust dev''s own identity provider instead of their discoveryUrl (offline; get tokens with `agentcore dev-token`)'
            cand --ephemeral 'Keep local Memory only until dev stops'
            cand -v 'More detail on stderr (-vv for debug logs)'
            cand --verbose 'More detail on stderr (-vv for debug logs)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-color 'No colour (also when NO_COLOR is set)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'agentcore;build'= {
            cand --platform 'Target platform (AgentCore Runtime runs linux/arm64)'
            cand --tag 'Another tag for the image (repeatable)'
            cand --build-arg 'Build argument K=V (repeatable)'
            cand --save-context 'Write the build context tar to FILE (`-`: stdout) instead of building'
            cand -a 'Agent to act on (default: the file''s default_agent, or its only agent)'
            cand --agent 'Agent to act on (default: the file''s default_agent, or its only agent)'
            cand --config 'Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)'
            cand --region 'AWS region (default: the agent''s saved region, then the AWS environment)'
            cand --profile 'AWS named profile'
            cand --output 'Result format on stdout'
            cand --no-cache 'Do not use the engine''s build cache'
            cand --remote 'Build on CodeBuild (arm64) and push to the agent''s ECR repository, instead of here'
            cand -v 'More detail on stderr (-vv for debug logs)'
            cand --verbose 'More detail on stderr (-vv for debug logs)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-color 'No colour (also when NO_COLOR is set)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'agentcore;deploy'= {
            cand --platform 'Image platform (AgentCore Runtime runs linux/arm64)'
            cand --timeout 'Seconds to wait for the runtime to be READY'
            cand --endpoint-grace 'Seconds to wait for the DEFAULT endpoint once the runtime is READY'
            cand --memory-timeout 'Seconds to wait for the agent''s memory to be ACTIVE'
            cand --endpoint 'After the deploy, create or move this named endpoint to the new version (blue/green: deploy with --endpoint staging, try it, then `agentcore endpoint update prod --version N`)'
            cand --build-timeout 'Seconds to wait for a remote build'
            cand --s3-bucket 'S3 bucket for the code package or the remote build''s source (saved as aws.s3_path; default: bedrock-agentcore-codebuild-sources-ACCOUNT-REGION, created when missing)'
            cand -a 'Agent to act on (default: the file''s default_agent, or its only agent)'
            cand --agent 'Agent to act on (default: the file''s default_agent, or its only agent)'
            cand --config 'Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)'
            cand --region 'AWS region (default: the agent''s saved region, then the AWS environment)'
            cand --profile 'AWS named profile'
            cand --output 'Result format on stdout'
            cand --no-cache 'Do not use the engine''s build cache'
            cand --dry-run 'Print the plan (with request bodies) and change nothing'
            cand --no-wait 'Return once the runtime is created or updated, without waiting for READY'
            cand --skip-memory-on-failure 'Deploy without memory if creating it fails (default: the deploy fails)'
            cand --remote-build 'Build the image on CodeBuild (arm64) instead of here: for hosts that cannot build linux/arm64 (x86-64 without QEMU)'
            cand --local-build 'Build the image here even when this host cannot run arm64 build steps'
            cand --force-rebuild-deps 'Direct code deployment: install the dependencies again instead of reusing the cached arm64 layer'
            cand --no-transaction-search 'Leave the account''s Transaction Search (spans into CloudWatch''s aws/spans, which `agentcore traces` reads) as it is'
            cand -v 'More detail on stderr (-vv for debug logs)'
            cand --verbose 'More detail on stderr (-vv for debug logs)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-color 'No colour (also when NO_COLOR is set)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'agentcore;status'= {
            cand -a 'Agent to act on (default: the file''s default_agent, or its only agent)'
            cand --agent 'Agent to act on (default: the file''s default_agent, or its only agent)'
            cand --config 'Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)'
            cand --region 'AWS region (default: the agent''s saved region, then the AWS environment)'
            cand --profile 'AWS named profile'
            cand --output 'Result format on stdout'
            cand -v 'More detail on stderr (-vv for debug logs)'
            cand --verbose 'More detail on stderr (-vv for debug logs)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-color 'No colour (also when NO_COLOR is set)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'agentcore;destroy'= {
            cand -a 'Agent to act on (default: the file''s default_agent, or its only agent)'
            cand --agent 'Agent to act on (default: the file''s default_agent, or its only agent)'
            cand --config 'Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)'
            cand --region 'AWS region (default: the agent''s saved region, then the AWS environment)'
            cand --profile 'AWS named profile'
            cand --output 'Result format on stdout'
            cand --dry-run 'List what would be deleted, delete nothing'
            cand --force 'Do not ask for confirmation'
            cand --delete-ecr-repo 'Also delete the ECR repository'
            cand --remove-config 'Also remove the agent from the project file'
            cand -v 'More detail on stderr (-vv for debug logs)'
            cand --verbose 'More detail on stderr (-vv for debug logs)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-color 'No colour (also when NO_COLOR is set)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'agentcore;invoke'= {
            cand --mcp 'Call an MCP agent: tools/list, tools/call NAME [ARGS], resources/list, resources/read URI, prompts/list, prompts/get NAME [ARGS], or any other method (the handshake is done)'
            cand --port 'The emulator''s port, with --local'
            cand -s 'Session id (33-256 characters; default: the saved one, else a new one)'
            cand --session-id 'Session id (33-256 characters; default: the saved one, else a new one)'
            cand --bearer-token 'OAuth bearer token for agents with a JWT authorizer'
            cand -u 'End-user id (X-Amzn-Bedrock-AgentCore-Runtime-User-Id)'
            cand --user-id 'End-user id (X-Amzn-Bedrock-AgentCore-Runtime-User-Id)'
            cand --header 'Header for the agent, Name:Value (repeatable; gets the Custom- prefix unless allowlisted)'
            cand --qualifier 'Endpoint to call'
            cand --endpoint 'Endpoint to call'
            cand --timeout 'Seconds to wait for data before giving up'
            cand -a 'Agent to act on (default: the file''s default_agent, or its only agent)'
            cand --agent 'Agent to act on (default: the file''s default_agent, or its only agent)'
            cand --config 'Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)'
            cand --region 'AWS region (default: the agent''s saved region, then the AWS environment)'
            cand --profile 'AWS named profile'
            cand --output 'Result format on stdout'
            cand --logs 'When a deployed agent fails, print its last log lines for the session (CloudWatch)'
            cand --card 'Print an A2A agent''s card (GetAgentCard)'
            cand --local 'Call the local emulator (`agentcore dev`) instead of the deployed agent'
            cand --dev 'Call the local emulator (`agentcore dev`) instead of the deployed agent'
            cand --new-session 'Start a new conversation instead of continuing the saved session'
            cand --raw 'Print the response bytes exactly as received'
            cand -v 'More detail on stderr (-vv for debug logs)'
            cand --verbose 'More detail on stderr (-vv for debug logs)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-color 'No colour (also when NO_COLOR is set)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'agentcore;stop-session'= {
            cand -s 'Session to stop (default: the saved one)'
            cand --session-id 'Session to stop (default: the saved one)'
            cand --port 'The emulator''s port, with --local'
            cand --qualifier 'Endpoint'
            cand --bearer-token 'OAuth bearer token for agents with a JWT authorizer'
            cand -a 'Agent to act on (default: the file''s default_agent, or its only agent)'
            cand --agent 'Agent to act on (default: the file''s default_agent, or its only agent)'
            cand --config 'Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)'
            cand --region 'AWS region (default: the agent''s saved region, then the AWS environment)'
            cand --profile 'AWS named profile'
            cand --output 'Result format on stdout'
            cand --local 'Stop it on the local emulator'
            cand --dev 'Stop it on the local emulator'
            cand -v 'More detail on stderr (-vv for debug logs)'
            cand --verbose 'More detail on stderr (-vv for debug logs)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-color 'No colour (also when NO_COLOR is set)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'agentcore;versions'= {
            cand -a 'Agent to act on (default: the file''s default_agent, or its only agent)'
            cand --agent 'Agent to act on (default: the file''s default_agent, or its only agent)'
            cand --config 'Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)'
            cand --region 'AWS region (default: the agent''s saved region, then the AWS environment)'
            cand --profile 'AWS named profile'
            cand --output 'Result format on stdout'
            cand -v 'More detail on stderr (-vv for debug logs)'
            cand --verbose 'More detail on stderr (-vv for debug logs)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-color 'No colour (also when NO_COLOR is set)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'agentcore;endpoint'= {
            cand -a 'Agent to act on (default: the file''s default_agent, or its only agent)'
            cand --agent 'Agent to act on (default: the file''s default_agent, or its only agent)'
            cand --config 'Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)'
            cand --region 'AWS region (default: the agent''s saved region, then the AWS environment)'
            cand --profile 'AWS named profile'
            cand --output 'Result format on stdout'
            cand -v 'More detail on stderr (-vv for debug logs)'
            cand --verbose 'More detail on stderr (-vv for debug logs)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-color 'No colour (also when NO_COLOR is set)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'The runtime''s endpoints, with the version each serves'
            cand create 'A named endpoint, serving VERSION (default: the latest)'
            cand update 'Point a named endpoint at another version'
            cand delete 'Delete a named endpoint'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'agentcore;endpoint;list'= {
            cand -a 'Agent to act on (default: the file''s default_agent, or its only agent)'
            cand --agent 'Agent to act on (default: the file''s default_agent, or its only agent)'
            cand --config 'Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)'
            cand --region 'AWS region (default: the agent''s saved region, then the AWS environment)'
            cand --profile 'AWS named profile'
            cand --output 'Result format on stdout'
            cand -v 'More detail on stderr (-vv for debug logs)'
            cand --verbose 'More detail on stderr (-vv for debug logs)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-color 'No colour (also when NO_COLOR is set)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'agentcore;endpoint;create'= {
            cand --version 'The runtime version to serve'
            cand --timeout 'Seconds to wait for the endpoint to serve its version'
            cand -a 'Agent to act on (default: the file''s default_agent, or its only agent)'
            cand --agent 'Agent to act on (default: the file''s default_agent, or its only agent)'
            cand --config 'Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)'
            cand --region 'AWS region (default: the agent''s saved region, then the AWS environment)'
            cand --profile 'AWS named profile'
            cand --output 'Result format on stdout'
            cand --no-wait 'Return once the service took the change, without waiting for READY'
            cand -v 'More detail on stderr (-vv for debug logs)'
            cand --verbose 'More detail on stderr (-vv for debug logs)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-color 'No colour (also when NO_COLOR is set)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'agentcore;endpoint;update'= {
            cand --version 'The runtime version to serve'
            cand --timeout 'Seconds to wait for the endpoint to serve its version'
            cand -a 'Agent to act on (default: the file''s default_agent, or its only agent)'
            cand --agent 'Agent to act on (default: the file''s default_agent, or its only agent)'
            cand --config 'Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)'
            cand --region 'AWS region (default: the agent''s saved region, then the AWS environment)'
            cand --profile 'AWS named profile'
            cand --output 'Result format on stdout'
            cand --no-wait 'Return once the service took the change, without waiting for READY'
            cand -v 'More detail on stderr (-vv for debug logs)'
            cand --verbose 'More detail on stderr (-vv for debug logs)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-color 'No colour (also when NO_COLOR is set)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'agentcore;endpoint;delete'= {
            cand -a 'Agent to act on (default: the file''s default_agent, or its only agent)'
            cand --agent 'Agent to act on (default: the file''s default_agent, or its only agent)'
            cand --config 'Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)'
            cand --region 'AWS region (default: the agent''s saved region, then the AWS environment)'
            cand --profile 'AWS named profile'
            cand --output 'Result format on stdout'
            cand -v 'More detail on stderr (-vv for debug logs)'
            cand --verbose 'More detail on stderr (-vv for debug logs)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-color 'No colour (also when NO_COLOR is set)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'agentcore;endpoint;help'= {
            cand list 'The runtime''s endpoints, with the version each serves'
            cand create 'A named endpoint, serving VERSION (default: the latest)'
            cand update 'Point a named endpoint at another version'
            cand delete 'Delete a named endpoint'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'agentcore;endpoint;help;list'= {
        }
        &'agentcore;endpoint;help;create'= {
        }
        &'agentcore;endpoint;help;update'= {
        }
        &'agentcore;endpoint;help;delete'= {
        }
        &'agentcore;endpoint;help;help'= {
        }
        &'agentcore;rollback'= {
            cand --to 'The version to go back to (default: the one before the current one)'
            cand --endpoint 'Roll this named endpoint back instead of DEFAULT'
            cand -a 'Agent to act on (default: the file''s default_agent, or its only agent)'
            cand --agent 'Agent to act on (default: the file''s default_agent, or its only agent)'
            cand --config 'Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)'
            cand --region 'AWS region (default: the agent''s saved region, then the AWS environment)'
            cand --profile 'AWS named profile'
            cand --output 'Result format on stdout'
            cand --dry-run 'Say what would be done, do nothing'
            cand --no-wait 'Return once the service took the change'
            cand -v 'More detail on stderr (-vv for debug logs)'
            cand --verbose 'More detail on stderr (-vv for debug logs)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-color 'No colour (also when NO_COLOR is set)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'agentcore;logs'= {
            cand --since 'From this long ago (10m, 2h, 1d) or this time (2026-12-01T10:00:00Z); default 1h'
            cand --until 'Up to this long ago or this time'
            cand -s 'Only this session''s lines'
            cand --session-id 'Only this session''s lines'
            cand --level 'Only lines at this level or above (DEBUG, INFO, WARN, ERROR)'
            cand --filter 'Only lines containing this text (a CloudWatch filter term)'
            cand --endpoint 'The endpoint whose log group to read'
            cand --limit 'At most this many lines (without --follow)'
            cand --port 'The emulator''s port, with --local'
            cand -a 'Agent to act on (default: the file''s default_agent, or its only agent)'
            cand --agent 'Agent to act on (default: the file''s default_agent, or its only agent)'
            cand --config 'Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)'
            cand --region 'AWS region (default: the agent''s saved region, then the AWS environment)'
            cand --profile 'AWS named profile'
            cand --output 'Result format on stdout'
            cand -f 'Keep printing new lines until Ctrl-C'
            cand --follow 'Keep printing new lines until Ctrl-C'
            cand --local 'Read the running `agentcore dev` instead'
            cand --dev 'Read the running `agentcore dev` instead'
            cand -v 'More detail on stderr (-vv for debug logs)'
            cand --verbose 'More detail on stderr (-vv for debug logs)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-color 'No colour (also when NO_COLOR is set)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'agentcore;traces'= {
            cand --since 'From this long ago (10m, 2h, 1d) or this time; default 12h'
            cand --limit 'At most this many traces (list)'
            cand --port 'The emulator''s port, with --local'
            cand -a 'Agent to act on (default: the file''s default_agent, or its only agent)'
            cand --agent 'Agent to act on (default: the file''s default_agent, or its only agent)'
            cand --config 'Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)'
            cand --region 'AWS region (default: the agent''s saved region, then the AWS environment)'
            cand --profile 'AWS named profile'
            cand --output 'Result format on stdout'
            cand --local 'Read the running `agentcore dev` instead'
            cand --dev 'Read the running `agentcore dev` instead'
            cand -v 'More detail on stderr (-vv for debug logs)'
            cand --verbose 'More detail on stderr (-vv for debug logs)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-color 'No colour (also when NO_COLOR is set)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'Recent traces, newest first: root span, spans, duration, session'
            cand show 'One trace''s span tree'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'agentcore;traces;list'= {
            cand --since 'From this long ago (10m, 2h, 1d) or this time; default 12h'
            cand --limit 'At most this many traces (list)'
            cand --port 'The emulator''s port, with --local'
            cand -a 'Agent to act on (default: the file''s default_agent, or its only agent)'
            cand --agent 'Agent to act on (default: the file''s default_agent, or its only agent)'
            cand --config 'Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)'
            cand --region 'AWS region (default: the agent''s saved region, then the AWS environment)'
            cand --profile 'AWS named profile'
            cand --output 'Result format on stdout'
            cand --local 'Read the running `agentcore dev` instead'
            cand --dev 'Read the running `agentcore dev` instead'
            cand -v 'More detail on stderr (-vv for debug logs)'
            cand --verbose 'More detail on stderr (-vv for debug logs)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-color 'No colour (also when NO_COLOR is set)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'agentcore;traces;show'= {
            cand --since 'From this long ago (10m, 2h, 1d) or this time; default 12h'
            cand --limit 'At most this many traces (list)'
            cand --port 'The emulator''s port, with --local'
            cand -a 'Agent to act on (default: the file''s default_agent, or its only agent)'
            cand --agent 'Agent to act on (default: the file''s default_agent, or its only agent)'
            cand --config 'Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)'
            cand --region 'AWS region (default: the agent''s saved region, then the AWS environment)'
            cand --profile 'AWS named profile'
            cand --output 'Result format on stdout'
            cand --local 'Read the running `agentcore dev` instead'
            cand --dev 'Read the running `agentcore dev` instead'
            cand -v 'More detail on stderr (-vv for debug logs)'
            cand --verbose 'More detail on stderr (-vv for debug logs)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-color 'No colour (also when NO_COLOR is set)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'agentcore;traces;help'= {
            cand list 'Recent traces, newest first: root span, spans, duration, session'
            cand show 'One trace''s span tree'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'agentcore;traces;help;list'= {
        }
        &'agentcore;traces;help;show'= {
        }
        &'agentcore;traces;help;help'= {
        }
        &'agentcore;exec'= {
            cand -s 'The session (default: a new one, started as an invocation would start it)'
            cand --session-id 'The session (default: a new one, started as an invocation would start it)'
            cand --port 'The emulator''s port, with --local'
            cand --qualifier 'The endpoint (qualifier)'
            cand --bearer-token 'A bearer token, for an agent with a JWT authorizer'
            cand --timeout 'Seconds the command may run (the service''s limit is 3600)'
            cand -a 'Agent to act on (default: the file''s default_agent, or its only agent)'
            cand --agent 'Agent to act on (default: the file''s default_agent, or its only agent)'
            cand --config 'Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)'
            cand --region 'AWS region (default: the agent''s saved region, then the AWS environment)'
            cand --profile 'AWS named profile'
            cand --output 'Result format on stdout'
            cand --local 'Reach the running `agentcore dev` instead'
            cand --dev 'Reach the running `agentcore dev` instead'
            cand -v 'More detail on stderr (-vv for debug logs)'
            cand --verbose 'More detail on stderr (-vv for debug logs)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-color 'No colour (also when NO_COLOR is set)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'agentcore;shell'= {
            cand -s 'The session (default: a new one, started as an invocation would start it)'
            cand --session-id 'The session (default: a new one, started as an invocation would start it)'
            cand --port 'The emulator''s port, with --local'
            cand --qualifier 'The endpoint (qualifier)'
            cand --bearer-token 'A bearer token, for an agent with a JWT authorizer'
            cand -a 'Agent to act on (default: the file''s default_agent, or its only agent)'
            cand --agent 'Agent to act on (default: the file''s default_agent, or its only agent)'
            cand --config 'Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)'
            cand --region 'AWS region (default: the agent''s saved region, then the AWS environment)'
            cand --profile 'AWS named profile'
            cand --output 'Result format on stdout'
            cand --local 'Reach the running `agentcore dev` instead'
            cand --dev 'Reach the running `agentcore dev` instead'
            cand -v 'More detail on stderr (-vv for debug logs)'
            cand --verbose 'More detail on stderr (-vv for debug logs)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-color 'No colour (also when NO_COLOR is set)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'agentcore;memory'= {
            cand --memory-id 'The memory to read (default: the agent''s, from the project file)'
            cand --port 'The emulator''s port, with --local'
            cand --limit 'At most this many items'
            cand -a 'Agent to act on (default: the file''s default_agent, or its only agent)'
            cand --agent 'Agent to act on (default: the file''s default_agent, or its only agent)'
            cand --config 'Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)'
            cand --region 'AWS region (default: the agent''s saved region, then the AWS environment)'
            cand --profile 'AWS named profile'
            cand --output 'Result format on stdout'
            cand --local 'Read the running `agentcore dev` instead'
            cand --dev 'Read the running `agentcore dev` instead'
            cand -v 'More detail on stderr (-vv for debug logs)'
            cand --verbose 'More detail on stderr (-vv for debug logs)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-color 'No colour (also when NO_COLOR is set)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand actors 'The actors with events'
            cand sessions 'An actor''s sessions, newest first'
            cand events 'A session''s events, newest first'
            cand records 'Long-term records, newest first'
            cand search 'Long-term records ranked for a query'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'agentcore;memory;actors'= {
            cand --memory-id 'The memory to read (default: the agent''s, from the project file)'
            cand --port 'The emulator''s port, with --local'
            cand --limit 'At most this many items'
            cand -a 'Agent to act on (default: the file''s default_agent, or its only agent)'
            cand --agent 'Agent to act on (default: the file''s default_agent, or its only agent)'
            cand --config 'Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)'
            cand --region 'AWS region (default: the agent''s saved region, then the AWS environment)'
            cand --profile 'AWS named profile'
            cand --output 'Result format on stdout'
            cand --local 'Read the running `agentcore dev` instead'
            cand --dev 'Read the running `agentcore dev` instead'
            cand -v 'More detail on stderr (-vv for debug logs)'
            cand --verbose 'More detail on stderr (-vv for debug logs)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-color 'No colour (also when NO_COLOR is set)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'agentcore;memory;sessions'= {
            cand --actor 'actor'
            cand --memory-id 'The memory to read (default: the agent''s, from the project file)'
            cand --port 'The emulator''s port, with --local'
            cand --limit 'At most this many items'
            cand -a 'Agent to act on (default: the file''s default_agent, or its only agent)'
            cand --agent 'Agent to act on (default: the file''s default_agent, or its only agent)'
            cand --config 'Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)'
            cand --region 'AWS region (default: the agent''s saved region, then the AWS environment)'
            cand --profile 'AWS named profile'
            cand --output 'Result format on stdout'
            cand --local 'Read the running `agentcore dev` instead'
            cand --dev 'Read the running `agentcore dev` instead'
            cand -v 'More detail on stderr (-vv for debug logs)'
            cand --verbose 'More detail on stderr (-vv for debug logs)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-color 'No colour (also when NO_COLOR is set)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'agentcore;memory;events'= {
            cand --actor 'actor'
            cand --session 'session'
            cand --memory-id 'The memory to read (default: the agent''s, from the project file)'
            cand --port 'The emulator''s port, with --local'
            cand --limit 'At most this many items'
            cand -a 'Agent to act on (default: the file''s default_agent, or its only agent)'
            cand --agent 'Agent to act on (default: the file''s default_agent, or its only agent)'
            cand --config 'Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)'
            cand --region 'AWS region (default: the agent''s saved region, then the AWS environment)'
            cand --profile 'AWS named profile'
            cand --output 'Result format on stdout'
            cand --local 'Read the running `agentcore dev` instead'
            cand --dev 'Read the running `agentcore dev` instead'
            cand -v 'More detail on stderr (-vv for debug logs)'
            cand --verbose 'More detail on stderr (-vv for debug logs)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-color 'No colour (also when NO_COLOR is set)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'agentcore;memory;records'= {
            cand --namespace 'Only records under this namespace path (e.g. /users/alice/)'
            cand --memory-id 'The memory to read (default: the agent''s, from the project file)'
            cand --port 'The emulator''s port, with --local'
            cand --limit 'At most this many items'
            cand -a 'Agent to act on (default: the file''s default_agent, or its only agent)'
            cand --agent 'Agent to act on (default: the file''s default_agent, or its only agent)'
            cand --config 'Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)'
            cand --region 'AWS region (default: the agent''s saved region, then the AWS environment)'
            cand --profile 'AWS named profile'
            cand --output 'Result format on stdout'
            cand --local 'Read the running `agentcore dev` instead'
            cand --dev 'Read the running `agentcore dev` instead'
            cand -v 'More detail on stderr (-vv for debug logs)'
            cand --verbose 'More detail on stderr (-vv for debug logs)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-color 'No colour (also when NO_COLOR is set)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'agentcore;memory;search'= {
            cand --namespace 'Only records under this namespace path'
            cand --top-k 'top-k'
            cand --memory-id 'The memory to read (default: the agent''s, from the project file)'
            cand --port 'The emulator''s port, with --local'
            cand --limit 'At most this many items'
            cand -a 'Agent to act on (default: the file''s default_agent, or its only agent)'
            cand --agent 'Agent to act on (default: the file''s default_agent, or its only agent)'
            cand --config 'Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)'
            cand --region 'AWS region (default: the agent''s saved region, then the AWS environment)'
            cand --profile 'AWS named profile'
            cand --output 'Result format on stdout'
            cand --local 'Read the running `agentcore dev` instead'
            cand --dev 'Read the running `agentcore dev` instead'
            cand -v 'More detail on stderr (-vv for debug logs)'
            cand --verbose 'More detail on stderr (-vv for debug logs)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-color 'No colour (also when NO_COLOR is set)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'agentcore;memory;help'= {
            cand actors 'The actors with events'
            cand sessions 'An actor''s sessions, newest first'
            cand events 'A session''s events, newest first'
            cand records 'Long-term records, newest first'
            cand search 'Long-term records ranked for a query'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'agentcore;memory;help;actors'= {
        }
        &'agentcore;memory;help;sessions'= {
        }
        &'agentcore;memory;help;events'= {
        }
        &'agentcore;memory;help;records'= {
        }
        &'agentcore;memory;help;search'= {
        }
        &'agentcore;memory;help;help'= {
        }
        &'agentcore;dev-token'= {
            cand --port 'The emulator''s port'
            cand --client-id 'Client id (default: the agent''s first allowedClients)'
            cand --audience 'Audience, repeatable (default: the agent''s first allowedAudience)'
            cand --scope 'Scope, repeatable (default: the agent''s allowedScopes)'
            cand --claim 'Extra claim NAME=VALUE, repeatable; VALUE is JSON if it parses, else a string'
            cand --expires-in 'Seconds the token is valid (1-86400)'
            cand -a 'Agent to act on (default: the file''s default_agent, or its only agent)'
            cand --agent 'Agent to act on (default: the file''s default_agent, or its only agent)'
            cand --config 'Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)'
            cand --region 'AWS region (default: the agent''s saved region, then the AWS environment)'
            cand --profile 'AWS named profile'
            cand --output 'Result format on stdout'
            cand -v 'More detail on stderr (-vv for debug logs)'
            cand --verbose 'More detail on stderr (-vv for debug logs)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-color 'No colour (also when NO_COLOR is set)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'agentcore;completions'= {
            cand --dir 'Write every shell''s file into DIR instead (how completions/ is kept current)'
            cand -a 'Agent to act on (default: the file''s default_agent, or its only agent)'
            cand --agent 'Agent to act on (default: the file''s default_agent, or its only agent)'
            cand --config 'Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)'
            cand --region 'AWS region (default: the agent''s saved region, then the AWS environment)'
            cand --profile 'AWS named profile'
            cand --output 'Result format on stdout'
            cand -v 'More detail on stderr (-vv for debug logs)'
            cand --verbose 'More detail on stderr (-vv for debug logs)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --no-color 'No colour (also when NO_COLOR is set)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'agentcore;help'= {
            cand configure 'Configure an agent: writes .bedrock_agentcore.yaml, its Dockerfile and .dockerignore'
            cand init 'Create a new agent project (official Python SDK) and configure it'
            cand dev 'Run the local AgentCore Runtime emulator in front of your agent (or the bundled one)'
            cand build 'Build the agent''s container image through the Docker Engine API'
            cand deploy 'Build, push to ECR and create or update the agent runtime'
            cand status 'Show the agent''s configuration and, when deployed, its runtime and endpoint'
            cand destroy 'Delete what deploy created for the agent (runtime, images, role it made)'
            cand invoke 'Call an agent (local emulator or deployed) and print its answer as it streams'
            cand stop-session 'End a runtime session (the given or the saved one)'
            cand versions 'The deployed runtime''s versions, with the artifact each runs and the endpoints serving it'
            cand endpoint 'The deployed runtime''s named endpoints: list, create, update, delete'
            cand rollback 'Take a change back: point a named endpoint at an older version, or apply an older version''s image as a new version (DEFAULT follows the latest)'
            cand logs 'The deployed runtime''s logs (CloudWatch), or the local emulator''s with --local'
            cand traces 'The deployed agent''s traces (Transaction Search spans), or the local emulator''s'
            cand exec 'Run a command inside an agent''s session (InvokeAgentRuntimeCommand): its output as it comes, its exit status as ours'
            cand shell 'An interactive shell inside an agent''s session (a real terminal; its exit status as ours)'
            cand memory 'What the agent stored in AgentCore Memory: actors, sessions, events, records, a search (the deployed memory, or with --local dev''s)'
            cand dev-token 'Print a bearer token from `agentcore dev`''s own identity provider (for curl and scripts)'
            cand completions 'Print shell completions'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'agentcore;help;configure'= {
            cand list 'List the configured agents'
            cand set-default 'Make NAME the default agent'
        }
        &'agentcore;help;configure;list'= {
        }
        &'agentcore;help;configure;set-default'= {
        }
        &'agentcore;help;init'= {
        }
        &'agentcore;help;dev'= {
        }
        &'agentcore;help;build'= {
        }
        &'agentcore;help;deploy'= {
        }
        &'agentcore;help;status'= {
        }
        &'agentcore;help;destroy'= {
        }
        &'agentcore;help;invoke'= {
        }
        &'agentcore;help;stop-session'= {
        }
        &'agentcore;help;versions'= {
        }
        &'agentcore;help;endpoint'= {
            cand list 'The runtime''s endpoints, with the version each serves'
            cand create 'A named endpoint, serving VERSION (default: the latest)'
            cand update 'Point a named endpoint at another version'
            cand delete 'Delete a named endpoint'
        }
        &'agentcore;help;endpoint;list'= {
        }
        &'agentcore;help;endpoint;create'= {
        }
        &'agentcore;help;endpoint;update'= {
        }
        &'agentcore;help;endpoint;delete'= {
        }
        &'agentcore;help;rollback'= {
        }
        &'agentcore;help;logs'= {
        }
        &'agentcore;help;traces'= {
            cand list 'Recent traces, newest first: root span, spans, duration, session'
            cand show 'One trace''s span tree'
        }
        &'agentcore;help;traces;list'= {
        }
        &'agentcore;help;traces;show'= {
        }
        &'agentcore;help;exec'= {
        }
        &'agentcore;help;shell'= {
        }
        &'agentcore;help;memory'= {
            cand actors 'The actors with events'
            cand sessions 'An actor''s sessions, newest first'
            cand events 'A session''s events, newest first'
            cand records 'Long-term records, newest first'
            cand search 'Long-term records ranked for a query'
        }
        &'agentcore;help;memory;actors'= {
        }
        &'agentcore;help;memory;sessions'= {
        }
        &'agentcore;help;memory;events'= {
        }
        &'agentcore;help;memory;records'= {
        }
        &'agentcore;help;memory;search'= {
        }
        &'agentcore;help;dev-token'= {
        }
        &'agentcore;help;completions'= {
        }
        &'agentcore;help;help'= {
        }
    ]
    $completions[$command]
}

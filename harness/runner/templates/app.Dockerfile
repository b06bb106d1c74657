# Per-run image: the app's code over its dependency layer (${framework} template); removed after
# the run. Few instructions on purpose: each one costs a commit in the engine's builder.
FROM ${deps_image}
COPY --chown=10001:10001 app/ /opt/agent-harness/app/
COPY relay.py /opt/agent-harness/relay.py
ENV PORT=${port} AGENT_HARNESS_RELAY_PORT=${relay_port}
USER 10001:10001
# /app is a size-limited tmpfs per container that the start command fills from the copy above:
# the app may write next to its code (SQLite files) up to its disk bound, while the rest of the
# root filesystem stays read-only.
LABEL agent-harness.run=1 agent-harness.run-id=${run_id} agent-harness.framework=${framework}
# The relay starts first, in the background; the app replaces the shell so it gets the signals.
CMD ${cmd_json}

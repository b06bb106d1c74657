# Dependency layer for Node apps: node_modules installed on the host with the same node binary
# the base image carries (containers reach no registry). Tagged per dependency hash and kept.
# The app image links /app/node_modules here, so each run's /app volume stays small.
FROM ${base_image}
COPY node_modules/ /opt/agent-harness/node_modules/
LABEL agent-harness.deps=${deps_key}

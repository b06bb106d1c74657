# Dependency layer for Python apps: wheels prepared on the host (containers reach no registry),
# installed offline into the base image's virtualenv. Tagged per dependency hash and kept.
FROM ${base_image}
COPY wheels/ /opt/agent-harness/wheels/
RUN /opt/venv/bin/pip install --no-index --no-deps --no-compile /opt/agent-harness/wheels/*.whl \
 && rm -rf /opt/agent-harness/wheels
LABEL agent-harness.deps=${deps_key}

# Database server layer over an app's dependency image: the machine's own Debian server packages
# at their own paths, the shared libraries they need that the image lacks (into /usr/local/lib,
# never over the image's own), the initialised data templates (owned by the app's uid) and the
# launcher. Tagged by package versions, templates and the image below; kept like the deps layers.
FROM ${deps_image}
ADD root.tar /
COPY libs/ /opt/agent-harness/svc-libs/
RUN for f in /opt/agent-harness/svc-libs/*; do \
      [ -e "$$f" ] || continue; n=$$(basename "$$f"); \
      ldconfig -p | grep -q "^[[:space:]]*$$n " || cp -a "$$f" /usr/local/lib/; \
    done \
 && rm -rf /opt/agent-harness/svc-libs && ldconfig ${links}
ADD templates.tar /
COPY services_launch.py _inside.py /opt/agent-harness/services/
LABEL agent-harness.services=${kinds}

# The action server of the CPS careers assistant: rasa-sdk, the knowledge file and the
# spaCy pipeline its search uses. No Rasa and no TensorFlow: bot/actions imports
# neither, so this image is a tenth of the Rasa image's size.
#
#   docker build -f deploy/docker/actions.Dockerfile -t REGISTRY/cps-careers-actions:VERSION .
#
# Built from the repository root. Only Rasa should reach it (Kubernetes: the
# NetworkPolicy in deploy/kubernetes); it has no authentication of its own.

FROM python:3.10.13-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONDONTWRITEBYTECODE=1
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /opt/cps
COPY requirements.txt ./
COPY deploy/docker/constraints.txt deploy/docker/requirements-actions.in deploy/docker/
RUN pip install "pip==24.0" \
    && pip install -c requirements.txt -c deploy/docker/constraints.txt \
        -r deploy/docker/requirements-actions.in
COPY bot bot
COPY deploy/docker/serve.py deploy/docker/
# The same pipeline the Rasa image builds (same inputs, same pinned spaCy: byte for byte
# the same files). The lemma tables are saved inside it, so their package can go.
RUN python -c "from bot.ops.model import ensure_spacy_pipeline; ensure_spacy_pipeline()" \
    && pip uninstall -y spacy-lookups-data

FROM python:3.10.13-slim-bookworm
ENV PATH=/opt/venv/bin:$PATH PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    HOME=/home/cps PROFILE=production ACTIONS_HOST=0.0.0.0 ACTIONS_PORT=5055
RUN useradd --uid 1001 --user-group --create-home --home-dir /home/cps \
        --shell /usr/sbin/nologin cps
COPY --from=build /opt/venv /opt/venv
WORKDIR /opt/cps
COPY --from=build /opt/cps /opt/cps
USER 1001:1001
EXPOSE 5055
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "deploy/docker/serve.py", "health", "actions"]
ENTRYPOINT ["python", "deploy/docker/serve.py"]
CMD ["actions"]

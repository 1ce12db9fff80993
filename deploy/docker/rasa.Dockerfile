# The Rasa server of the CPS careers assistant, with its trained model inside.
#
#   docker build -f deploy/docker/rasa.Dockerfile -t REGISTRY/cps-careers-rasa:VERSION .
#
# Built from the repository root (the build context); BuildKit is needed for the
# cache mount. Based on slim Python rather than rasa/rasa:3.6.21 so the image holds
# exactly the pinned set CI tests (requirements.txt) and no second copy of Rasa's
# dependencies; docs/deploy.md, "Images", says more. Linux x86-64 only: the pinned
# TensorFlow wheels are built for it.

FROM python:3.10.13-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONDONTWRITEBYTECODE=1 \
    RASA_TELEMETRY_ENABLED=false TF_CPP_MIN_LOG_LEVEL=2 SQLALCHEMY_SILENCE_UBER_WARNING=1
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /opt/cps
# Dependencies first, so a change to the bot does not reinstall them.
COPY requirements.txt ./
COPY deploy/docker/constraints.txt deploy/docker/requirements-rasa.in deploy/docker/
RUN pip install "pip==24.0" \
    && pip install -c requirements.txt -c deploy/docker/constraints.txt \
        -r deploy/docker/requirements-rasa.in
COPY config.yml domain.yml credentials.yml endpoints.yml endpoints.production.yml ./
COPY bot bot
COPY deploy/docker/serve.py deploy/docker/
# Build the spaCy pipeline and train, as `make train` does. The model is named after
# a hash of its inputs; a model for the same inputs in the build cache is reused
# instead of retrained. Rasa's training cache is not kept in the image.
RUN --mount=type=cache,id=cps-careers-models,target=/cache \
    CPS_MODEL_CACHE=/cache python -m bot.ops.model \
    && rm -rf .rasa \
    && pip uninstall -y spacy-lookups-data

FROM python:3.10.13-slim-bookworm
ENV PATH=/opt/venv/bin:$PATH PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    RASA_TELEMETRY_ENABLED=false TF_CPP_MIN_LOG_LEVEL=2 SQLALCHEMY_SILENCE_UBER_WARNING=1 \
    HOME=/home/cps MPLCONFIGDIR=/tmp/matplotlib \
    PROFILE=production BIND_HOST=0.0.0.0 RASA_PORT=5005 \
    ACTION_ENDPOINT_URL=http://actions:5055/webhook
RUN useradd --uid 1001 --user-group --create-home --home-dir /home/cps \
        --shell /usr/sbin/nologin cps
COPY --from=build /opt/venv /opt/venv
WORKDIR /opt/cps
COPY --from=build /opt/cps /opt/cps
# The code stays root-owned and read-only; only var/ (the embedded profile's SQLite) is the app's.
RUN mkdir -p var && chown cps:cps var
USER 1001:1001
EXPOSE 5005
# bot.ops.services decides the health path (GET /webhooks/rest/); loading the model takes a while.
HEALTHCHECK --interval=15s --timeout=5s --start-period=180s --retries=3 \
    CMD ["python", "deploy/docker/serve.py", "health", "rasa"]
ENTRYPOINT ["python", "deploy/docker/serve.py"]
CMD ["rasa"]

# The web app of the CPS careers assistant: the chat widget, its API, the demo pages
# and the recruiter console. No Rasa, no TensorFlow, no spaCy.
#
#   docker build -f deploy/docker/web.Dockerfile -t REGISTRY/cps-careers-web:VERSION .
#
# Built from the repository root. The same image runs the operator commands:
#   serve.py accounts add EMAIL --role admin    serve.py retention (a daily CronJob)

# GOV.UK Frontend (the console's styles, fonts, images), from package-lock.json.
FROM node:20.20.2-bookworm-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --ignore-scripts

FROM python:3.10.13-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONDONTWRITEBYTECODE=1
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /opt/cps
COPY requirements.txt ./
COPY deploy/docker/constraints.txt deploy/docker/requirements-web.in deploy/docker/
RUN pip install "pip==24.0" \
    && pip install -c requirements.txt -c deploy/docker/constraints.txt \
        -r deploy/docker/requirements-web.in

FROM python:3.10.13-slim-bookworm
ENV PATH=/opt/venv/bin:$PATH PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    HOME=/home/cps PROFILE=production BIND_HOST=0.0.0.0 WEB_PORT=8000 \
    RASA_URL=http://rasa:5005
RUN useradd --uid 1001 --user-group --create-home --home-dir /home/cps \
        --shell /usr/sbin/nologin cps
COPY --from=build /opt/venv /opt/venv
WORKDIR /opt/cps
COPY --from=assets /build/node_modules/govuk-frontend node_modules/govuk-frontend
COPY bot bot
COPY web web
COPY deploy/docker/serve.py deploy/docker/
RUN mkdir -p var && chown cps:cps var
USER 1001:1001
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "deploy/docker/serve.py", "health", "web"]
ENTRYPOINT ["python", "deploy/docker/serve.py"]
CMD ["web"]

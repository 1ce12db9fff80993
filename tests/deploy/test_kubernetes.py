"""The Kubernetes manifests and Helm values: what matters for running them, checked here.

No cluster is reachable from this machine; these checks read the files (and render the
kustomize base with kubectl when it is installed). docs/deploy.md says what an operator
checks on a real cluster.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from urllib.parse import urlparse

import pytest
import yaml
from deploy_files import (
    CONFIG_NAME,
    HELM_VALUES,
    KUBERNETES,
    ROUTER_CONFIG,
    SECRET_NAME,
    Container,
    all_containers,
    base_documents,
    code_env_names,
    helm_values,
    kustomization,
    load_yaml,
    resolve_image,
)

from bot.ops import PROJECT_ROOT
from bot.ops.services import action_server, rasa_server, web_app

CONTAINERS = all_containers()
IDS = [f"{c.source}:{c.service}" for c in CONTAINERS]
PINNED_TAG = re.compile(r":\d+\.\d+\.\d+[\w.-]*$")
SECRET_LOOKING = re.compile(r"PASSWORD|TOKEN|SECRET|_KEY$|^REDIS_URL$")
# Read by a library rather than by our code: the name and who reads it.
LIBRARY_ENV = {"SANIC_PROXIES_COUNT": "Sanic: proxies to trust for the visitor's address"}
HEALTH_PATHS = {
    "rasa": rasa_server(PROJECT_ROOT / "m.tar.gz", port=1, action_url="").health_path,
    "actions": action_server(1).health_path,
    "web": web_app(1, rasa_url="http://x").health_path,
    "console": web_app(1, rasa_url="http://x").health_path,
    "rasa-router": "/healthz",
}


def objects(kind: str) -> list[dict]:
    return [doc for doc in base_documents() if doc["kind"] == kind]


def named(kind: str, name: str) -> dict:
    return next(doc for doc in objects(kind) if doc["metadata"]["name"] == name)


def config_map() -> dict[str, str]:
    return named("ConfigMap", CONFIG_NAME)["data"]


def env_names(container: Container) -> set[str]:
    names = set(container.env)
    if any(source.get("configMapRef") for source in container.spec.get("envFrom", [])):
        names |= set(config_map())
    return names


def env_value(container: Container, name: str) -> str | None:
    """The value a container gets, following references into the ConfigMap."""
    item = container.env.get(name)
    if item is None:
        return config_map()[name] if name in env_names(container) else None
    reference = item.get("valueFrom", {}).get("configMapKeyRef")
    if reference:
        assert reference["name"] == CONFIG_NAME
        return config_map()[reference["key"]]
    return item.get("value")


def test_every_file_parses_and_every_base_file_is_listed():
    base = kustomization()
    listed = set(base["resources"]) | {
        f for generator in base["configMapGenerator"] for f in generator["files"]
    }
    for path in KUBERNETES.rglob("*.y*ml"):
        assert load_yaml(path), path
    for path in KUBERNETES.glob("*.yaml"):
        assert path.name == "kustomization.yaml" or path.name in listed, f"{path.name} unused"
    for name in listed:
        assert (KUBERNETES / name).exists(), name


# Installed by .ci/run (Debian's kubectl); a missing one fails here rather than skipping.
KUBECTL = shutil.which("kubectl") or "/usr/bin/kubectl"


def test_kustomize_renders_the_base_with_every_image_pinned():
    rendered = subprocess.run(
        [KUBECTL, "kustomize", str(KUBERNETES)], capture_output=True, text=True, timeout=60
    )
    assert rendered.returncode == 0, rendered.stderr
    docs = list(yaml.safe_load_all(rendered.stdout))
    images = re.findall(r"^\s+image: (\S+)$", rendered.stdout, flags=re.M)
    assert images and all(PINNED_TAG.search(image) for image in images), images
    assert all(doc["metadata"].get("namespace") == "cps-careers"
               for doc in docs if doc["kind"] != "Namespace")


@pytest.mark.parametrize("container", CONTAINERS, ids=IDS)
def test_every_container_has_probes_and_resources(container):
    resources = container.spec["resources"]
    assert resources["requests"]["cpu"] and resources["requests"]["memory"]
    assert resources["limits"]["memory"]
    if not container.long_running:
        return  # a CronJob's container ends by itself
    for probe in ("readinessProbe", "livenessProbe"):
        check = container.spec[probe]["httpGet"]
        assert check["path"] == HEALTH_PATHS[container.service], (probe, check)
    # The liveness probe must leave time to load the model, or it kills a starting pod.
    if container.service == "rasa":
        assert container.spec["livenessProbe"]["initialDelaySeconds"] >= 120


@pytest.mark.parametrize("container", CONTAINERS, ids=IDS)
def test_every_container_runs_unprivileged(container):
    pod = container.pod["securityContext"]
    assert pod["runAsNonRoot"] is True and pod["runAsUser"] > 0
    assert pod["seccompProfile"]["type"] == "RuntimeDefault"
    own = container.spec["securityContext"]
    assert own["allowPrivilegeEscalation"] is False
    assert own["readOnlyRootFilesystem"] is True
    assert own["capabilities"]["drop"] == ["ALL"]
    mounts = {m["mountPath"] for m in container.spec.get("volumeMounts", [])}
    assert "/tmp" in mounts  # noqa: S108 (the one writable place on a read-only file system)


@pytest.mark.parametrize("container", CONTAINERS, ids=IDS)
def test_every_image_is_pinned(container):
    image = resolve_image(container.spec["image"])
    assert PINNED_TAG.search(image), image
    assert not image.endswith(":latest")


def test_one_release_version_for_every_project_image():
    tags = {resolve_image("cps-careers-web").split(":")[1]}
    tags |= {helm_values(service)["image"]["tag"] for service in HELM_VALUES}
    assert len(tags) == 1, tags


@pytest.mark.parametrize("container", CONTAINERS, ids=IDS)
def test_secrets_come_only_from_the_secret(container):
    for name, item in container.env.items():
        reference = item.get("valueFrom", {}).get("secretKeyRef")
        if SECRET_LOOKING.search(name):
            assert reference and "value" not in item, f"{name} must come from the Secret"
        if reference:
            assert reference["name"] == SECRET_NAME
            assert reference["key"] in (PROJECT_ROOT / "docs" / "deploy.md").read_text()


def test_no_secret_is_written_into_a_manifest():
    for path in KUBERNETES.rglob("*.y*ml"):
        for doc in load_yaml(path):
            assert doc.get("kind") != "Secret", path
    assert not any(SECRET_LOOKING.search(key) for key in config_map())


@pytest.mark.parametrize("container", CONTAINERS, ids=IDS)
def test_every_environment_variable_set_is_one_the_code_reads(container):
    known = code_env_names() | set(LIBRARY_ENV)
    unknown = env_names(container) - known
    assert not unknown, f"{container.source} sets {sorted(unknown)}, which nothing reads"


REQUIRED = {
    "rasa": {"PROFILE", "POSTGRES_HOST", "POSTGRES_PORT", "POSTGRES_DB", "POSTGRES_USER",
             "POSTGRES_PASSWORD", "REDIS_HOST", "REDIS_PORT", "REDIS_DB", "REDIS_PASSWORD",
             "ACTION_ENDPOINT_URL", "BIND_HOST"},
    "actions": {"PROFILE", "ACTIONS_HOST"},
    "web": {"PROFILE", "WEB_SERVES", "RASA_URL", "ALLOWED_ORIGINS", "SANIC_PROXIES_COUNT",
            "POSTGRES_HOST", "POSTGRES_PASSWORD"},
    "console": {"PROFILE", "WEB_SERVES", "POSTGRES_HOST", "POSTGRES_PASSWORD",
                "CONSOLE_COOKIE_SECURE", "SANIC_PROXIES_COUNT", "SMTP_HOST", "SMTP_FROM"},
    "retention": {"PROFILE", "POSTGRES_HOST", "POSTGRES_PASSWORD", "RETENTION_DAYS"},
    "rasa-router": {"ROUTER_COOKIE_KEY"},
}


@pytest.mark.parametrize("container", CONTAINERS, ids=IDS)
def test_every_container_gets_the_settings_it_needs(container):
    assert REQUIRED[container.service] <= env_names(container)
    assert env_value(container, "PROFILE") in (None, "production")  # None: the image's default
    for listener in ("BIND_HOST", "ACTIONS_HOST"):
        if listener in container.env:  # a container is reached through its Service
            assert env_value(container, listener) == "0.0.0.0"  # noqa: S104


def container_of(service: str) -> Container:
    return next(c for c in CONTAINERS if c.service == service)


def test_rasa_calls_the_action_servers_service():
    url = urlparse(env_value(container_of("rasa"), "ACTION_ENDPOINT_URL"))
    release = "cps-rasa-action-server"  # contains the chart's name, so it names the Service
    assert url.hostname == release and url.path == "/webhook"
    assert url.port == helm_values("actions")["service"]["port"]
    assert "helm upgrade --install cps-rasa-action-server" in HELM_VALUES["actions"].read_text()
    assert "helm upgrade --install cps-rasa " in HELM_VALUES["rasa"].read_text()


def test_the_web_app_reaches_rasa_only_through_the_router():
    url = urlparse(env_value(container_of("web"), "RASA_URL"))
    service = named("Service", url.hostname)
    assert service["spec"]["selector"]["app.kubernetes.io/name"] == "cps-rasa-router"
    assert url.port == service["spec"]["ports"][0]["port"]


def test_the_router_finds_the_rasa_pods_through_the_headless_service():
    pods = named("Service", "cps-rasa-pods")
    assert pods["spec"]["clusterIP"] == "None"
    assert pods["spec"]["selector"].items() <= container_of("rasa").pod_labels.items()
    address = f"{pods['metadata']['name']}.{kustomization()['namespace']}.svc.cluster.local"
    rasa_port = helm_values("rasa")["applicationSettings"]["port"]
    config = ROUTER_CONFIG.read_text()
    templates = re.findall(r"server-template rasa (\d+) (\S+) ", config)
    assert templates and all(target == f"{address}:{rasa_port}" for _, target in templates)
    # The router can reach every pod the autoscaler may start.
    assert all(int(n) >= helm_values("rasa")["autoscaling"]["maxReplicas"] for n, _ in templates)


def policy_for(component: str) -> dict:
    return next(
        p for p in objects("NetworkPolicy")
        if p["spec"]["podSelector"]["matchLabels"].get("app.kubernetes.io/component") == component
    )


def test_only_rasa_reaches_the_action_server():
    policy = policy_for("actions")
    assert policy["spec"]["podSelector"]["matchLabels"].items() <= (
        container_of("actions").pod_labels.items()
    )
    [rule] = policy["spec"]["ingress"]
    [source] = rule["from"]
    assert source["podSelector"]["matchLabels"].items() <= container_of("rasa").pod_labels.items()
    assert "namespaceSelector" not in source
    actions_port = helm_values("actions")["applicationSettings"]["port"]
    assert [p["port"] for p in rule["ports"]] == [actions_port]


def test_only_the_router_reaches_rasa():
    [rule] = policy_for("rasa")["spec"]["ingress"]
    assert rule["from"] == [
        {"podSelector": {"matchLabels": {"app.kubernetes.io/component": "rasa-router"}}}
    ]
    router = named("Deployment", "cps-rasa-router")["spec"]["template"]["metadata"]["labels"]
    assert router["app.kubernetes.io/component"] == "rasa-router"


def test_the_ingress_sends_visitors_to_the_web_app_and_channels_to_the_router():
    [web_path] = named("Ingress", "cps-web")["spec"]["rules"][0]["http"]["paths"]
    assert web_path["backend"]["service"]["name"] == "cps-web"
    channels = load_yaml(KUBERNETES / "public-channels" / "ingress.yaml")[0]
    paths = {p["path"]: p["backend"]["service"]["name"]
             for p in channels["spec"]["rules"][0]["http"]["paths"]}
    assert paths == {"/webhooks/": "cps-rasa-router", "/socket.io/": "cps-rasa-router"}


def test_the_console_runs_apart_from_the_public_web_app():
    """A sign-in flood uses the console's pods, never the widget's; the public pods hold
    only the password of a role that reads conversations and queues questions (tested
    against PostgreSQL in tests/console/test_console_security.py); /console reaches only
    the console, from the allowed networks."""
    public, console = container_of("web"), container_of("console")
    assert env_value(public, "WEB_SERVES") == "public"
    assert env_value(console, "WEB_SERVES") == "console"
    assert env_value(public, "POSTGRES_USER") == "careers_public"
    assert env_value(console, "POSTGRES_USER") != "careers_public"
    secret = public.env["POSTGRES_PASSWORD"]["valueFrom"]["secretKeyRef"]["key"]
    assert secret == "POSTGRES_PUBLIC_PASSWORD"
    assert env_value(console, "CONSOLE_COOKIE_SECURE") == "true"
    assert int(env_value(console, "CONSOLE_SIGN_IN_PARALLEL")) <= 2
    # The limit leaves room for the bounded password checks (64 MiB each) over the app.
    limit = console.spec["resources"]["limits"]["memory"]
    assert limit.endswith("Mi") and int(limit[:-2]) >= 128 + 2 * 64
    service = named("Service", "cps-console")
    assert service["spec"]["selector"].items() <= console.pod_labels.items()
    ingress = named("Ingress", "cps-console")
    [path] = ingress["spec"]["rules"][0]["http"]["paths"]
    assert (path["path"], path["pathType"]) == ("/console", "Prefix")
    assert path["backend"]["service"]["name"] == "cps-console"
    annotations = ingress["metadata"]["annotations"]
    allowed = annotations["nginx.ingress.kubernetes.io/whitelist-source-range"]
    assert allowed and all("/" in network for network in allowed.split(","))
    public_host = named("Ingress", "cps-web")["spec"]["rules"][0]["host"]
    assert ingress["spec"]["rules"][0]["host"] == public_host
    assert "CONSOLE_ALLOWED_NETWORKS" in config_map()
    [rule] = policy_for("console")["spec"]["ingress"]
    assert rule["from"] == [
        {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "ingress-nginx"}}}
    ]
    router_sources = policy_for("rasa-router")["spec"]["ingress"][0]["from"]
    assert {"podSelector": {"matchLabels": {"app.kubernetes.io/component": "console"}}} not in (
        router_sources
    )


def test_the_charts_own_defaults_that_would_bypass_the_image_are_off():
    rasa = helm_values("rasa")
    assert rasa["args"] == ["rasa"] and helm_values("actions")["args"] == ["actions"]
    settings = rasa["applicationSettings"]
    assert settings["enableAPI"] is False and settings["initialModel"] == ""
    assert settings["telemetry"]["enabled"] is False
    assert not any(e["enabled"] for e in settings["endpoints"].values())
    for bundled in ("postgresql", "redis", "rabbitmq", "rasa-action-server", "duckling"):
        assert rasa[bundled]["install"] is False
    assert rasa["nginx"]["enabled"] is False

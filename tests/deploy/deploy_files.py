"""Read the deployment files (deploy/) the way Docker, kustomize and Helm would see them.

Shared by the tests in this folder. Nothing here renders Helm templates: the Rasa and
action server containers are described by our values files, which the charts copy into
their Deployments (probes, resources, security contexts, env) unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.ops import PROJECT_ROOT

DEPLOY = PROJECT_ROOT / "deploy"
DOCKER = DEPLOY / "docker"
KUBERNETES = DEPLOY / "kubernetes"
HELM_VALUES = {"rasa": KUBERNETES / "helm" / "rasa-values.yaml",
               "actions": KUBERNETES / "helm" / "actions-values.yaml"}
DOCKERFILES = {name: DOCKER / f"{name}.Dockerfile" for name in ("rasa", "actions", "web")}
ROUTER_CONFIG = KUBERNETES / "rasa-router" / "haproxy.cfg"
SECRET_NAME = "cps-careers-secrets"
CONFIG_NAME = "cps-careers-config"


def load_yaml(path: Path) -> list[dict]:
    return [doc for doc in yaml.safe_load_all(path.read_text()) if doc is not None]


def kustomization(path: Path = KUBERNETES) -> dict:
    return load_yaml(path / "kustomization.yaml")[0]


def base_documents() -> list[dict]:
    """Every object the kustomize base lists, in order."""
    docs: list[dict] = []
    for resource in kustomization()["resources"]:
        docs.extend(load_yaml(KUBERNETES / resource))
    return docs


def resolve_image(image: str) -> str:
    """An image reference after the base's `images:` rewrite, as kustomize renders it."""
    name, _, tag = image.partition(":")
    for rule in kustomization().get("images", []):
        if rule["name"] == name:
            name = rule.get("newName", name)
            tag = rule.get("newTag", tag)
    return f"{name}:{tag}" if tag else name


@dataclass
class Container:
    """One container as it will run: where it is declared, its spec and its pod's spec."""

    source: str
    service: str  # rasa, actions, web, rasa-router, retention
    spec: dict
    pod: dict
    pod_labels: dict = field(default_factory=dict)
    long_running: bool = True

    @property
    def env(self) -> dict[str, dict]:
        return {item["name"]: item for item in self.spec.get("env", [])}


def _pod_template(doc: dict) -> dict:
    if doc["kind"] == "CronJob":
        return doc["spec"]["jobTemplate"]["spec"]["template"]
    return doc["spec"]["template"]


def manifest_containers() -> Iterator[Container]:
    for doc in base_documents():
        if doc["kind"] not in ("Deployment", "CronJob"):
            continue
        template = _pod_template(doc)
        labels = template["metadata"]["labels"]
        for spec in template["spec"]["containers"]:
            yield Container(
                source=f"{doc['kind']}/{doc['metadata']['name']}",
                service=labels["app.kubernetes.io/component"],
                spec=spec,
                pod=template["spec"],
                pod_labels=labels,
                long_running=doc["kind"] != "CronJob",
            )


def helm_values(service: str) -> dict:
    return load_yaml(HELM_VALUES[service])[0]


def helm_containers() -> Iterator[Container]:
    """The chart containers, from the values the charts place into them."""
    for service in HELM_VALUES:
        values = helm_values(service)
        image = f"{values['registry']}/{values['image']['name']}:{values['image']['tag']}"
        spec = {
            "image": image,
            "args": values["args"],
            "env": values.get("extraEnv", []),
            "readinessProbe": values.get("readinessProbe"),
            "livenessProbe": values.get("livenessProbe"),
            "resources": values.get("resources", {}),
            "securityContext": values.get("securityContext", {}),
            "volumeMounts": values.get("volumeMounts", []),
        }
        yield Container(
            source=HELM_VALUES[service].name,
            service=service,
            spec=spec,
            pod={"securityContext": values.get("podSecurityContext", {})},
            pod_labels=values.get("podLabels", {}),
        )


def all_containers() -> list[Container]:
    return [*manifest_containers(), *helm_containers()]


def dockerfile_stages(path: Path) -> list[list[str]]:
    """Instructions per build stage, continuation lines joined, comments dropped."""
    text = re.sub(r"\\\n", " ", path.read_text())
    stages: list[list[str]] = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.upper().startswith("FROM "):
            stages.append([])
        stages[-1].append(line)
    return stages


def code_env_names() -> set[str]:
    """Environment variables the project's code (or its config files) reads."""
    patterns = [
        # env.get("X"), os.environ.get("X"), settings.get("X")
        r"""(?:env|environ|settings)\.get\(\s*["']([A-Z][A-Z0-9_]+)["']""",
        r"""(?:env|environ)\[\s*["']([A-Z][A-Z0-9_]+)["']\s*\]""",
        # the project's typed readers: _int(env, "X", ...), env_int(env, "X", ...), ...
        r"""\b(?:_int|_float|_days|env_int|env_float|_port|_required_url|_identifier)\(\s*"""
        r"""(?:env,\s*)?["']([A-Z][A-Z0-9_]+)["']""",
    ]
    names: set[str] = set()
    sources = [*PROJECT_ROOT.glob("bot/**/*.py"), *PROJECT_ROOT.glob("web/**/*.py"),
               DOCKER / "serve.py"]
    for path in sources:
        text = path.read_text()
        for pattern in patterns:
            names.update(re.findall(pattern, text))
    # ${X} in the files Rasa and the router read
    for path in [*PROJECT_ROOT.glob("endpoints*.yml"), ROUTER_CONFIG]:
        names.update(re.findall(r"\$\{([A-Z][A-Z0-9_]+)\}", path.read_text()))
    return names


def load_serve():
    """deploy/docker/serve.py, the images' entrypoint (a script, not a package module)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("deploy_serve", DOCKER / "serve.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module

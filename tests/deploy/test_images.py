"""Each image's package list is enough for its service, and the small images stay small.

An image installs deploy/docker/requirements-<service>.in (with requirements.txt as
constraints), not the whole pinned set. Here each service is imported in a fresh Python
that can import only what that image would hold: the standard library, the project's
code and the distributions those names bring in (their dependency closure, from the
installed metadata). Anything else fails to import, as it would in the image. Optional
imports libraries try and do without (thinc tries TensorFlow) fail quietly, as there.
"""

from __future__ import annotations

import ast
import functools
import importlib.metadata
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import yaml
from deploy_files import DOCKER
from packaging.requirements import Requirement

from bot.ops import PROJECT_ROOT

EXTRA = re.compile(r"""extra\s*==\s*["']([^"']+)["']""")


@functools.cache
def installed_distributions() -> dict[str, importlib.metadata.Distribution]:
    return {normalise(d.metadata["Name"]): d for d in importlib.metadata.distributions()}


@functools.cache
def requirements_of(name: str) -> list[str]:
    installed = installed_distributions().get(name)
    # None: a package for another platform, excluded by its marker
    return installed.requires or [] if installed is not None else []


@functools.cache
def closure(names: tuple[str, ...]) -> frozenset[str]:
    """Distributions (normalised names) that installing `names` brings in."""
    seen: set[str] = set()
    pending = [Requirement(name) for name in names]
    while pending:
        requirement = pending.pop()
        name = normalise(requirement.name)
        extras = set(requirement.extras)
        key = f"{name}[{','.join(sorted(extras))}]"
        if key in seen:
            continue
        seen.add(key)
        for line in requirements_of(name):
            wanted = set(EXTRA.findall(line))
            if wanted and not wanted & extras:
                continue  # an optional part nobody asked for; parsing is slow, skip it
            dependency = Requirement(line)
            if dependency.marker is None or any(
                dependency.marker.evaluate({"extra": extra}) for extra in extras | {""}
            ):
                pending.append(dependency)
    return frozenset(key.split("[")[0] for key in seen)


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def image_packages(service: str) -> tuple[str, ...]:
    lines = (DOCKER / f"requirements-{service}.in").read_text().splitlines()
    return tuple(line.split("#")[0].strip() for line in lines if line.split("#")[0].strip())


@functools.cache
def top_level_modules(distributions: frozenset[str]) -> frozenset[str]:
    modules: set[str] = set()
    for name, dist in installed_distributions().items():
        if name not in distributions:
            continue
        listed = dist.read_text("top_level.txt")
        if listed:
            modules.update(listed.split())
            continue
        for file in dist.files or []:
            first = file.parts[0]
            if first.endswith((".dist-info", ".data")) or first in ("..", "__pycache__"):
                continue
            modules.add(first.split(".")[0])
    return frozenset(modules)


# Runs in a fresh interpreter: block every top-level module the image would not have.
GUARD = """
import importlib.abc, importlib.util, sys
ALLOWED = set({allowed!r}) | set(sys.stdlib_module_names) | {{"bot", "web", "deploy"}}
class NotInImage(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        top = name.split(".")[0]
        if top not in ALLOWED and top not in sys.builtin_module_names:
            raise ModuleNotFoundError(f"No module named {{top!r}} (not in the image)", name=top)
        return None
sys.meta_path.insert(0, NotInImage())
_find_spec = importlib.util.find_spec
def find_spec(name, package=None):  # a probe for an optional module: absent, not an error
    try:
        return _find_spec(name, package)
    except ModuleNotFoundError as error:
        if "(not in the image)" in str(error):
            return None
        raise
importlib.util.find_spec = find_spec
"""


def run_in_image(
    service: str, code: str, tmp_path: Path, prelude: str = ""
) -> subprocess.CompletedProcess:
    allowed = top_level_modules(closure(image_packages(service)))
    script = tmp_path / f"in_{service}_image.py"
    script.write_text(
        GUARD.format(allowed=sorted(allowed)) + textwrap.dedent(prelude) + textwrap.dedent(code)
    )
    return subprocess.run(
        [sys.executable, str(script)],
        cwd=PROJECT_ROOT,
        env={"PYTHONPATH": str(PROJECT_ROOT), "RASA_TELEMETRY_ENABLED": "false",
             "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=300,
    )


LOAD_SERVE = """
import importlib.util
spec = importlib.util.spec_from_file_location("serve", "deploy/docker/serve.py")
serve = importlib.util.module_from_spec(spec)
spec.loader.exec_module(serve)
env = {"PROFILE": "production", "RASA_URL": "http://rasa:5005",
       "ACTION_ENDPOINT_URL": "http://actions:5055/webhook",
       "POSTGRES_PASSWORD": "s3cret", "REDIS_PASSWORD": "r3dis"}
profile = serve.load_profile(serve.STATE_DIR, env)
"""


def test_the_action_server_image_has_neither_rasa_nor_tensorflow():
    packages = closure(image_packages("actions"))
    assert "rasa-sdk" in packages and "spacy" in packages
    assert not packages & {"rasa", "tensorflow", "tensorflow-text", "keras", "psycopg2-binary"}


def test_the_web_image_has_neither_rasa_nor_spacy_nor_tensorflow():
    assert not closure(image_packages("web")) & {"rasa", "spacy", "tensorflow", "rasa-sdk"}


def test_the_action_server_runs_with_only_its_images_packages(spacy_pipeline, tmp_path):
    code = """
    from rasa_sdk.executor import ActionExecutor
    executor = ActionExecutor()
    executor.register_package("bot.actions")  # what `rasa_sdk --actions bot.actions` does
    assert "action_answer_knowledge" in executor.actions
    serve.build_service("actions", env, profile)
    from bot.language.search import default_search  # loads the spaCy pipeline
    print(default_search().rank("what does a crown prosecutor earn")[:1])
    """
    result = run_in_image("actions", code, tmp_path, prelude=LOAD_SERVE)
    assert result.returncode == 0, result.stderr[-3000:]


def test_the_web_app_and_its_commands_run_with_only_their_images_packages(tmp_path):
    code = """
    import sqlalchemy as sa
    from web.app import create_app
    from web.settings import Settings
    create_app(Settings())
    import web.console.accounts, bot.storage.retention, bot.ops.dependencies  # operator tools
    serve.build_service("web", env, profile)
    sa.create_engine(profile.web_env["CONVERSATIONS_DB_URL"])  # loads the PostgreSQL driver
    """
    result = run_in_image("web", code, tmp_path, prelude=LOAD_SERVE)
    assert result.returncode == 0, result.stderr[-3000:]


def rasa_loaded_modules() -> set[str]:
    """The project's modules Rasa loads by name from its config, endpoints and credentials."""
    names: set[str] = set()
    for path in ["credentials.yml", "endpoints.yml", "endpoints.production.yml"]:
        for key, value in (yaml.safe_load((PROJECT_ROOT / path).read_text()) or {}).items():
            candidates = [key, (value or {}).get("type", "") if isinstance(value, dict) else ""]
            names.update(c.rsplit(".", 1)[0] for c in candidates if c.startswith("bot."))
    pipeline = yaml.safe_load((PROJECT_ROOT / "config.yml").read_text())["pipeline"]
    names.update(c["name"].rsplit(".", 1)[0] for c in pipeline if c["name"].startswith("bot."))
    return names


def project_imports(modules: set[str]) -> set[str]:
    """Top-level packages imported (anywhere in the code) by `modules` and the project
    modules they import in turn, followed through the source, not by importing it."""
    found: set[str] = set()
    seen: set[str] = set()
    pending = list(modules)
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        path = PROJECT_ROOT.joinpath(*name.split("."))
        source = path / "__init__.py" if path.is_dir() else path.with_suffix(".py")
        if not source.exists():  # `from bot.x import name` where name is not a module
            continue
        for node in ast.walk(ast.parse(source.read_text())):
            if isinstance(node, ast.Import):
                imported = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                imported = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            else:
                continue
            for item in imported:
                if item.split(".")[0] in ("bot", "web"):
                    pending.append(item)
                else:
                    found.add(item.split(".")[0])
    return found


def test_the_projects_rasa_components_need_only_the_rasa_images_packages():
    # Importing Rasa and TensorFlow takes half a minute, so the project's code Rasa loads
    # is followed through its source; Rasa's own needs come with rasa[spacy]'s metadata.
    modules = rasa_loaded_modules()
    assert {"bot.storage.tracker_store", "bot.language.entities"} <= modules
    allowed = top_level_modules(closure(image_packages("rasa"))) | set(sys.stdlib_module_names)
    needed = project_imports(modules) - {"__future__"}
    assert "rasa" in needed and "spacy" in needed
    assert needed <= allowed, f"not in the Rasa image: {sorted(needed - allowed)}"
    assert {"psycopg2", "redis"} <= allowed  # the production profile's drivers

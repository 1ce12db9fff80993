"""The Dockerfiles: pinned bases, pinned packages, non-root, health checks, no secrets.

No Docker daemon runs here, so the images are not built; these checks read the files
(hadolint is not available either). test_images.py checks the package lists suffice.
"""

from __future__ import annotations

import importlib.metadata
import re
import shlex

import pytest
from deploy_files import DOCKER, DOCKERFILES, dockerfile_stages
from packaging.requirements import Requirement

from bot.ops import PROJECT_ROOT

PINNED_IMAGE = re.compile(r"^[\w./-]+:\d+\.\d+\.\d+[\w.-]*$")
SECRET_WORDS = re.compile(r"PASSWORD|TOKEN|SECRET|_KEY\b|REDIS_URL", re.IGNORECASE)


def pinned_versions() -> dict[str, str]:
    pins = {}
    for line in (PROJECT_ROOT / "requirements.txt").read_text().splitlines():
        if line and not line.startswith("#"):
            name, _, version = line.partition("==")
            pins[normalise(name)] = version.strip()
    return pins


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def instructions(stage: list[str], keyword: str) -> list[str]:
    return [line[len(keyword) :].strip() for line in stage if line.upper().startswith(keyword)]


@pytest.mark.parametrize("service", DOCKERFILES)
def test_every_base_image_is_pinned_to_a_version(service):
    for stage in dockerfile_stages(DOCKERFILES[service]):
        image = stage[0].split()[1]
        assert PINNED_IMAGE.match(image), f"{service}: {image} is not pinned to a version"
        assert ":latest" not in image


@pytest.mark.parametrize("service", DOCKERFILES)
def test_python_is_the_projects_python(service):
    requires = re.search(r'requires-python = "(.*)"', (PROJECT_ROOT / "pyproject.toml").read_text())
    assert requires and requires.group(1) == ">=3.10,<3.11"
    python_stages = [s for s in dockerfile_stages(DOCKERFILES[service]) if "python:" in s[0]]
    assert python_stages, "the service runs on the python image"
    for stage in python_stages:
        assert stage[0].split()[1].startswith("python:3.10.")


@pytest.mark.parametrize("service", DOCKERFILES)
def test_the_final_image_runs_as_a_numeric_non_root_user(service):
    final = dockerfile_stages(DOCKERFILES[service])[-1]
    users = instructions(final, "USER")
    assert users, f"{service}: no USER in the final stage"
    uid = users[-1].split(":")[0]
    assert uid.isdigit() and int(uid) != 0  # numeric, so Kubernetes can check runAsNonRoot


@pytest.mark.parametrize("service", DOCKERFILES)
def test_the_image_starts_its_service_and_checks_its_health_through_serve_py(service):
    final = dockerfile_stages(DOCKERFILES[service])[-1]
    entrypoint = instructions(final, "ENTRYPOINT")
    assert entrypoint == ['["python", "deploy/docker/serve.py"]']
    assert instructions(final, "CMD") == [f'["{service}"]']
    healthchecks = instructions(final, "HEALTHCHECK")
    assert len(healthchecks) == 1
    # serve.py asks on the health path bot.ops.services gives the service (test_serve.py).
    health = f'CMD ["python", "deploy/docker/serve.py", "health", "{service}"]'
    assert healthchecks[0].endswith(health)


@pytest.mark.parametrize("service", DOCKERFILES)
def test_packages_come_from_the_pinned_set(service):
    text = re.sub(r"\\\n", " ", DOCKERFILES[service].read_text())
    installs = [cmd.strip() for cmd in re.findall(r"pip install([^&\n]*)", text)]
    assert installs[0] == '"pip==24.0"'  # the same pip as `make install`
    assert '"pip==24.0"' in (PROJECT_ROOT / "Makefile").read_text()
    words = shlex.split(installs[1])
    assert words == [
        "-c", "requirements.txt", "-c", "deploy/docker/constraints.txt",
        "-r", f"deploy/docker/requirements-{service}.in",
    ]
    assert len(installs) == 2


@pytest.mark.parametrize("service", DOCKERFILES)
def test_every_package_an_image_asks_for_is_pinned_in_requirements_txt(service):
    pins = pinned_versions()
    for line in (DOCKER / f"requirements-{service}.in").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            requirement = Requirement(line)
            assert not requirement.specifier, f"{line}: versions come from requirements.txt"
            assert normalise(requirement.name) in pins, f"{requirement.name} is not pinned"


def test_the_setuptools_constraint_matches_the_tested_environment():
    # pip freeze leaves setuptools out of requirements.txt; spaCy 3.4 needs pkg_resources.
    constraint = Requirement(
        next(
            line for line in (DOCKER / "constraints.txt").read_text().splitlines()
            if line and not line.startswith("#")
        )
    )
    assert constraint.name == "setuptools"
    assert str(constraint.specifier) == f"=={importlib.metadata.version('setuptools')}"


@pytest.mark.parametrize("service", DOCKERFILES)
def test_no_secret_is_baked_into_an_image(service):
    for stage in dockerfile_stages(DOCKERFILES[service]):
        for line in instructions(stage, "ENV") + instructions(stage, "ARG"):
            assert not SECRET_WORDS.search(line), f"{service}: {line}"


@pytest.mark.parametrize("service", DOCKERFILES)
def test_everything_copied_from_the_repository_exists(service):
    for stage in dockerfile_stages(DOCKERFILES[service]):
        for line in instructions(stage, "COPY"):
            if line.startswith("--from="):
                continue
            *sources, _destination = line.split()
            for source in sources:
                assert (PROJECT_ROOT / source).exists(), f"{service}: COPY {source}"


def test_the_build_context_leaves_out_environments_state_models_and_secrets():
    ignored = {
        line.strip()
        for line in (PROJECT_ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    for needed in [".git", ".venv*", "var", "node_modules", "bot/models/*", ".env", ".env.*"]:
        assert needed in ignored
    # The images build the spaCy pipeline and the model from their inputs, never a local copy.
    assert "!bot/models/README.md" in ignored


def test_the_rasa_image_trains_its_model_as_make_train_does():
    build = " ".join(dockerfile_stages(DOCKERFILES["rasa"])[0])
    assert "python -m bot.ops.model" in build
    assert "CPS_MODEL_CACHE=/cache" in build and "--mount=type=cache" in build

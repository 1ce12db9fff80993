"""Train the Rasa model only when its inputs change.

The model is named after a hash of everything that shapes it (config, domain,
training data, knowledge file, the spaCy component code, pinned requirements),
so a fresh clone with the same inputs can reuse a cached model (CPS_MODEL_CACHE)
instead of spending minutes retraining, and a changed input can never be served
by a stale model.

    python -m bot.ops.model          # print the path of an up-to-date model
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import zlib
from collections.abc import Iterable
from pathlib import Path

from bot.ops import PROJECT_ROOT

MODELS_DIR = PROJECT_ROOT / "bot" / "models"
SPACY_DIR = MODELS_DIR / "spacy-careers"
MODEL_PREFIX = "careers-"
KEEP_MODELS = 3
CONFIG_FILE = PROJECT_ROOT / "config.yml"


def _files(patterns: Iterable[str]) -> list[Path]:
    found: list[Path] = []
    for pattern in patterns:
        found.extend(sorted(p for p in PROJECT_ROOT.glob(pattern) if p.is_file()))
    return found


# The pipeline's builder and the modules it imports to make its patterns.
SPACY_BUILDER = ["bot/language/build.py", "bot/language/mutations.py", "bot/language/words.py"]


def spacy_inputs() -> list[Path]:
    return _files(["bot/knowledge/*.yml", "bot/knowledge/*.py", *SPACY_BUILDER, "requirements.txt"])


def model_inputs(config: Path = CONFIG_FILE) -> list[Path]:
    # The NLU components in bot/language run inside the model.
    return (
        [config] + _files(["domain.yml", "bot/data/**/*.yml", "bot/language/*.py"]) + spacy_inputs()
    )


def fingerprint(paths: Iterable[Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(set(paths)):
        digest.update(str(path.relative_to(PROJECT_ROOT)).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()[:16]


def _run(args: list[str]) -> None:
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "PYTHONPATH": str(PROJECT_ROOT)}
    subprocess.run(args, cwd=PROJECT_ROOT, env=env, check=True)


def ensure_spacy_pipeline() -> Path:
    """Build the careers spaCy pipeline if the knowledge file or builder changed."""
    stamp = SPACY_DIR / "inputs.sha256"
    wanted = fingerprint(spacy_inputs())
    if stamp.exists() and stamp.read_text().strip() == wanted:
        return SPACY_DIR
    if SPACY_DIR.exists():
        shutil.rmtree(SPACY_DIR)
    _run([sys.executable, "-m", "bot.language.build", str(SPACY_DIR)])
    stamp.write_text(wanted + "\n")
    return SPACY_DIR


def _cache_dir() -> Path | None:
    cache = os.environ.get("CPS_MODEL_CACHE")
    return Path(cache).expanduser() if cache else None


def _prune(keep: Path, prefix: str = MODEL_PREFIX) -> None:
    models = sorted(MODELS_DIR.glob(f"{prefix}*.tar.gz"), key=lambda p: p.stat().st_mtime)
    for old in [m for m in models if m != keep][: max(0, len(models) - KEEP_MODELS)]:
        old.unlink()


def model_path(
    config: Path = CONFIG_FILE, prefix: str = MODEL_PREFIX, inputs: Iterable[Path] | None = None
) -> Path:
    """Where the model trained on these inputs is kept: named after their hash.

    Another `config`, `prefix` and `inputs` (what shapes that model) keep a second
    model beside ours: the stock baseline of `make bench` (bench/baseline/).
    """
    digest = fingerprint(model_inputs(config) if inputs is None else inputs)
    return MODELS_DIR / f"{prefix}{digest}.tar.gz"


def ensure_model(
    config: Path = CONFIG_FILE, prefix: str = MODEL_PREFIX, inputs: Iterable[Path] | None = None
) -> Path:
    """Path of a model trained on the current inputs (see model_path), training it if needed."""
    ensure_spacy_pipeline()
    model = model_path(config, prefix, inputs)
    name = model.name.removesuffix(".tar.gz")
    cache = _cache_dir()
    if _usable(model):
        return model
    if cache and _usable(cache / model.name):
        shutil.copy2(cache / model.name, model)
        print(f"Reusing the cached model {model.name}", file=sys.stderr)
        return model
    print(f"Training {model.name}: its inputs changed or it was never built", file=sys.stderr)
    _run(
        [
            sys.executable,
            "-m",
            "rasa",
            "train",
            "--config",
            str(config.relative_to(PROJECT_ROOT)),
            "--domain",
            "domain.yml",
            "--data",
            "bot/data",
            "--out",
            str(MODELS_DIR),
            "--fixed-model-name",
            name,
        ]
    )
    if cache:
        cache.mkdir(parents=True, exist_ok=True)
        shutil.copy2(model, cache / model.name)
    _prune(keep=model, prefix=prefix)
    return model


class ModelError(RuntimeError):
    """The model file cannot be served; the message says which file and what to do."""


def check_model(model: Path) -> None:
    """Refuse a missing or unreadable model before Rasa is started with it.

    Rasa 3.6 given a corrupt archive logs nothing useful, reports itself healthy
    and then answers no message, so the check has to happen before it starts.
    Reading every member checks the whole archive (gzip's checksum is at its end);
    it takes about half a second, without importing Rasa and TensorFlow.
    """
    if not model.is_file():
        raise ModelError(f"The model {model} does not exist. Run `make train` to build it.")
    try:
        metadata = None
        with tarfile.open(model, "r:gz") as archive:
            for member in archive:
                content = archive.extractfile(member) if member.isfile() else None
                data = content.read() if content else b""
                if member.name.lstrip("/") == "metadata.json":
                    metadata = json.loads(data)
            # tarfile stops at the archive's end marker, before gzip's checksum: read on to
            # the end of the compressed stream, where gzip checks it.
            while archive.fileobj.read(1 << 20):
                pass
        missing = {"domain", "predict_schema", "rasa_open_source_version"} - set(metadata or {})
        if missing:
            raise ValueError(f"no Rasa metadata: {', '.join(sorted(missing))} missing")
    except (OSError, EOFError, zlib.error, tarfile.TarError, ValueError) as error:
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise ModelError(
            f"The model {model} cannot be read ({reason}). "
            f"Delete it and run `make train` to build it again."
        ) from None


def _usable(model: Path) -> bool:
    """True for a readable model; a corrupt one (an interrupted copy, a bad disk) is removed."""
    if not model.exists():
        return False
    try:
        check_model(model)
    except ModelError as error:
        print(f"{error} Removing it.", file=sys.stderr)
        model.unlink()
        return False
    return True


if __name__ == "__main__":
    print(ensure_model())

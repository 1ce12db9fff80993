"""A missing or corrupt model is refused with a plain message before Rasa starts.

Rasa 3.6 started with a corrupt archive reports itself healthy and then answers
nothing, so this check is the only place the fault can be named.
"""

from __future__ import annotations

import gzip
import io
import json
import tarfile
from pathlib import Path

import pytest

from bot.ops.model import ModelError, check_model


def model_archive(path: Path, metadata: dict | None) -> Path:
    with tarfile.open(path, "w:gz") as archive:
        files = {"components/domain_provider/domain.yml": b"version: '3.1'\n"}
        if metadata is not None:
            files["metadata.json"] = json.dumps(metadata).encode()
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


GOOD_METADATA = {"domain": {}, "predict_schema": {}, "rasa_open_source_version": "3.6.21"}


def test_a_readable_model_passes(tmp_path: Path) -> None:
    check_model(model_archive(tmp_path / "good.tar.gz", GOOD_METADATA))


def test_a_missing_model_says_how_to_build_it(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match=r"does not exist\. Run `make train`"):
        check_model(tmp_path / "careers-0000.tar.gz")


def test_garbage_is_refused(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.tar.gz"
    garbage.write_bytes(b"this is not a model" * 100)
    with pytest.raises(ModelError, match=r"cannot be read \(not a gzip file\)"):
        check_model(garbage)


def test_a_truncated_download_is_refused(tmp_path: Path) -> None:
    good = model_archive(tmp_path / "good.tar.gz", GOOD_METADATA).read_bytes()
    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(good[: len(good) // 2])
    with pytest.raises(ModelError, match="cannot be read"):
        check_model(truncated)


def test_a_tarball_that_is_not_a_rasa_model_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="no Rasa metadata"):
        check_model(model_archive(tmp_path / "other.tar.gz", None))
    with pytest.raises(ModelError, match="predict_schema missing"):
        check_model(
            model_archive(
                tmp_path / "partial.tar.gz", {"domain": {}, "rasa_open_source_version": "3.6.21"}
            )
        )


def test_a_gzip_of_something_else_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "notes.tar.gz"
    other.write_bytes(gzip.compress(b"plain text, not a tar archive" * 50))
    with pytest.raises(ModelError, match="cannot be read"):
        check_model(other)


@pytest.mark.model
def test_the_trained_model_passes(trained_model: Path) -> None:
    check_model(trained_model)

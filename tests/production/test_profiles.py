"""PROFILE turns the environment into each process's settings; bad values fail by name."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.ops.dependencies import ensure_dependencies
from bot.ops.profiles import EMBEDDED, PRODUCTION, ProfileError, load_profile, require_passwords


def test_embedded_is_the_default_and_keeps_conversations_in_sqlite(tmp_path: Path) -> None:
    profile = load_profile(tmp_path, {})
    assert profile.name == EMBEDDED
    assert profile.endpoints == "endpoints.yml"
    assert profile.rasa_env == {"TRACKER_DB": str(tmp_path / "tracker.db")}
    assert profile.web_env == {"TRACKER_DB": str(tmp_path / "tracker.db")}
    assert (profile.rasa_workers, profile.action_workers) == (1, 1)


def test_production_reads_every_connection_setting(tmp_path: Path) -> None:
    profile = load_profile(
        tmp_path,
        {
            "PROFILE": "Production",
            "POSTGRES_HOST": "db.internal",
            "POSTGRES_PORT": "6543",
            "POSTGRES_DB": "careers_live",
            "POSTGRES_USER": "assistant",
            "POSTGRES_PASSWORD": "s3cret/with:odd@chars",
            "POSTGRES_SCHEMA": "careers_2026",
            "REDIS_HOST": "locks.internal",
            "REDIS_PORT": "6380",
            "REDIS_DB": "3",
            "REDIS_USERNAME": "careers-app",
            "REDIS_PASSWORD": "p@ss",
            "RASA_WORKERS": "4",
            "ACTION_WORKERS": "3",
        },
    )
    assert profile.name == PRODUCTION
    assert profile.endpoints == "endpoints.production.yml"
    assert profile.rasa_env["POSTGRES_HOST"] == "db.internal"
    assert profile.rasa_env["POSTGRESQL_SCHEMA"] == "careers_2026"
    assert profile.rasa_env["REDIS_PORT"] == "6380"
    assert profile.rasa_env["SANIC_WORKERS"] == "4"
    assert profile.rasa_env["REDIS_USERNAME"] == "careers-app"  # an ACL user for the locks
    # The rate-limit counts, beside the locks, with the same user.
    assert profile.rasa_env["REDIS_URL"] == "redis://careers-app:p%40ss@locks.internal:6380/4"
    assert profile.action_env == {"ACTION_SERVER_SANIC_WORKERS": "3"}
    # The console gets the same database as one URL, password escaped.
    assert profile.web_env["CONVERSATIONS_DB_URL"] == (
        "postgresql://assistant:s3cret%2Fwith%3Aodd%40chars@db.internal:6543/careers_live"
    )
    assert profile.web_env["CONVERSATIONS_DB_SCHEMA"] == "careers_2026"


PASSWORDS = {"POSTGRES_PASSWORD": "pg-secret", "REDIS_PASSWORD": "redis-secret"}


def test_production_defaults_fit_one_machine(tmp_path: Path) -> None:
    profile = load_profile(tmp_path, {"PROFILE": "production", **PASSWORDS})
    assert profile.web_env == {
        "CONVERSATIONS_DB_URL": "postgresql://postgres:pg-secret@127.0.0.1:5432/careers"
    }
    assert profile.rasa_env["REDIS_HOST"] == "127.0.0.1"
    assert profile.rasa_env["REDIS_USERNAME"] == ""  # Redis's default user
    assert profile.rasa_env["REDIS_URL"] == "redis://:redis-secret@127.0.0.1:6379/2"
    assert profile.rasa_workers == 2


@pytest.mark.parametrize("missing", ["POSTGRES_PASSWORD", "REDIS_PASSWORD"])
def test_production_refuses_to_start_without_passwords(tmp_path: Path, missing: str) -> None:
    for value in (None, ""):
        env = {"PROFILE": "production", **PASSWORDS}
        env.pop(missing) if value is None else env.update({missing: value})
        profile = load_profile(tmp_path, env)  # read: the action server needs no password
        for check in (require_passwords, ensure_dependencies):
            with pytest.raises(ProfileError, match=f"{missing} is empty: the production"):
                check(profile)
    require_passwords(load_profile(tmp_path, {"PROFILE": "production", **PASSWORDS}))
    require_passwords(load_profile(tmp_path, {}))  # the embedded default needs none


@pytest.mark.parametrize(
    ("setting", "value", "message"),
    [
        ("PROFILE", "staging", "'staging' is not one of embedded, production"),
        ("POSTGRES_PORT", "five", "POSTGRES_PORT: 'five' is not a whole number"),
        ("REDIS_PORT", "70000", "REDIS_PORT: 70000 is outside 1-65535"),
        ("RASA_WORKERS", "0", "RASA_WORKERS: 0 is outside 1-64"),
        ("POSTGRES_SCHEMA", "x; DROP TABLE events", "may contain only letters, digits and _"),
        ("REDIS_KEY_PREFIX", "a:b", "may contain only letters and digits"),
    ],
)
def test_bad_settings_are_named(tmp_path: Path, setting: str, value: str, message: str) -> None:
    env = {"PROFILE": "production", **PASSWORDS, setting: value}
    with pytest.raises(ProfileError, match=message.replace("(", r"\(")):
        load_profile(tmp_path, env)

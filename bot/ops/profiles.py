"""The two ways to run the assistant, chosen by one setting: PROFILE=embedded|production.

* ``embedded`` (the default, ``make run``): everything on this machine, the
  conversation log in an SQLite file, one worker per service.
* ``production`` (``make run PROFILE=production``): PostgreSQL for the tracker
  store and the console's log, Redis for Rasa's lock store, several Sanic
  workers for Rasa and the action server. It refuses to connect without a
  PostgreSQL password and a Redis password (``require_passwords``): a
  production database open to anyone who reaches it is the mistake to avoid.

A profile turns the environment into what each process needs: Rasa's
endpoints file and environment, worker counts, the web app's database URL.
Every setting has a default that fits one machine; docs/deploy.md lists them.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from sqlalchemy.engine import URL

from bot.limits.settings import SettingsError, env_int

EMBEDDED = "embedded"
PRODUCTION = "production"
PROFILES = (EMBEDDED, PRODUCTION)


# One kind of setting error for every process: the channels, the web app and the profiles
# parse the environment with the same helpers (bot/limits/settings.py).
ProfileError = SettingsError


@dataclass(frozen=True)
class Postgres:
    host: str = "127.0.0.1"
    port: int = 5432
    database: str = "careers"
    user: str = "postgres"
    password: str = ""
    schema: str = ""

    def url(self, database: str | None = None) -> URL:
        return URL.create(
            "postgresql",
            username=self.user,
            password=self.password or None,
            host=self.host,
            port=self.port,
            database=database or self.database,
        )

    @property
    def address(self) -> str:
        return f"PostgreSQL at {self.host}:{self.port} (database {self.database!r})"


@dataclass(frozen=True)
class Redis:
    host: str = "127.0.0.1"
    port: int = 6379
    db: int = 1
    password: str = ""
    key_prefix: str = "careers"
    username: str = ""  # an ACL user (Redis 6+); empty: the default user

    @property
    def address(self) -> str:
        return f"Redis at {self.host}:{self.port} (db {self.db})"

    def url(self, db: int | None = None) -> str:
        login = ""
        if self.password:
            login = f"{quote(self.username, safe='')}:{quote(self.password, safe='')}@"
        return f"redis://{login}{self.host}:{self.port}/{self.db if db is None else db}"


@dataclass(frozen=True)
class Profile:
    name: str
    endpoints: str
    rasa_workers: int = 1
    action_workers: int = 1
    web_workers: int = 1
    postgres: Postgres | None = None
    redis: Redis | None = None
    sqlite_path: Path | None = None
    # Extra environment for each process, on top of what bot.ops.services sets.
    rasa_env: dict[str, str] = field(default_factory=dict)
    action_env: dict[str, str] = field(default_factory=dict)
    web_env: dict[str, str] = field(default_factory=dict)


def load_profile(state_dir: Path, env: Mapping[str, str] | None = None) -> Profile:
    env = os.environ if env is None else env
    name = (env.get("PROFILE") or EMBEDDED).strip().lower()
    if name == EMBEDDED:
        return _embedded(state_dir, env)
    if name == PRODUCTION:
        return _production(env)
    raise ProfileError(f"PROFILE: {name!r} is not one of {', '.join(PROFILES)}")


def _embedded(state_dir: Path, env: Mapping[str, str]) -> Profile:
    sqlite_path = Path(env.get("TRACKER_DB") or state_dir / "tracker.db")
    return Profile(
        name=EMBEDDED,
        endpoints="endpoints.yml",
        sqlite_path=sqlite_path,
        rasa_env={"TRACKER_DB": str(sqlite_path)},
        web_env={"TRACKER_DB": str(sqlite_path)},
    )


def _production(env: Mapping[str, str]) -> Profile:
    postgres = Postgres(
        host=env.get("POSTGRES_HOST") or Postgres.host,
        port=env_int(env, "POSTGRES_PORT", Postgres.port, 1, 65535),
        database=env.get("POSTGRES_DB") or Postgres.database,
        user=env.get("POSTGRES_USER") or Postgres.user,
        password=env.get("POSTGRES_PASSWORD", ""),
        schema=_identifier(env, "POSTGRES_SCHEMA", ""),
    )
    redis = Redis(
        host=env.get("REDIS_HOST") or Redis.host,
        port=env_int(env, "REDIS_PORT", Redis.port, 1, 65535),
        db=env_int(env, "REDIS_DB", Redis.db, 0, 15),
        password=env.get("REDIS_PASSWORD", ""),
        key_prefix=_identifier(env, "REDIS_KEY_PREFIX", Redis.key_prefix, alphanumeric=True),
        username=env.get("REDIS_USERNAME") or "",
    )
    rasa_env = {
        # Read by endpoints.production.yml; Rasa refuses to start if one is unset.
        "POSTGRES_HOST": postgres.host,
        "POSTGRES_PORT": str(postgres.port),
        "POSTGRES_DB": postgres.database,
        "POSTGRES_USER": postgres.user,
        "POSTGRES_PASSWORD": postgres.password,
        "REDIS_HOST": redis.host,
        "REDIS_PORT": str(redis.port),
        "REDIS_DB": str(redis.db),
        "REDIS_USERNAME": redis.username,
        "REDIS_PASSWORD": redis.password,
        "REDIS_KEY_PREFIX": redis.key_prefix,
        # Rate-limit counts shared by every worker and instance (bot/limits), beside the locks.
        "REDIS_URL": env.get("REDIS_URL") or redis.url(db=(redis.db + 1) % 16),
        # Rasa only honours SANIC_WORKERS > 1 with a Redis lock store, as configured here.
        "SANIC_WORKERS": str(env_int(env, "RASA_WORKERS", 2, 1, 64)),
    }
    if postgres.schema:
        rasa_env["POSTGRESQL_SCHEMA"] = postgres.schema  # Rasa's own name for it
    web_env = {"CONVERSATIONS_DB_URL": postgres.url().render_as_string(hide_password=False)}
    if postgres.schema:
        web_env["CONVERSATIONS_DB_SCHEMA"] = postgres.schema
    action_workers = env_int(env, "ACTION_WORKERS", 2, 1, 64)
    return Profile(
        name=PRODUCTION,
        endpoints="endpoints.production.yml",
        rasa_workers=int(rasa_env["SANIC_WORKERS"]),
        action_workers=action_workers,
        web_workers=env_int(env, "WEB_WORKERS", 1, 1, 64),
        postgres=postgres,
        redis=redis,
        rasa_env=rasa_env,
        action_env={"ACTION_SERVER_SANIC_WORKERS": str(action_workers)},
        web_env=web_env,
    )


def require_passwords(profile: Profile) -> None:
    """Refuse to connect to the profile's PostgreSQL or Redis without a password.

    Checked before anything connects (``make run``, ``bot.ops.dependencies``, the
    containers), not when the profile is read: the action server, which connects to
    neither, needs no password.
    """
    for service, name, settings in (
        ("PostgreSQL", "POSTGRES_PASSWORD", profile.postgres),
        ("Redis", "REDIS_PASSWORD", profile.redis),
    ):
        if settings is not None and not settings.password:
            raise ProfileError(
                f"{name} is empty: the production profile does not connect to {service} "
                f"without a password. Set {name} in the environment (docs/deploy.md, "
                "'Secrets')."
            )


def _identifier(env: Mapping[str, str], name: str, default: str, alphanumeric: bool = False) -> str:
    value = env.get(name) or default
    allowed = str.isalnum if alphanumeric else (lambda s: s.replace("_", "").isalnum())
    if value and not (allowed(value) and value.isascii()):
        kind = "letters and digits" if alphanumeric else "letters, digits and _"
        raise ProfileError(f"{name}: {value!r} may contain only {kind}")
    return value

"""`make add-recruiter` / `make remove-recruiter`: python -m web.console.accounts."""

from __future__ import annotations

import json

import pyotp
import pytest
import sqlalchemy as sa

from bot.storage import database as db
from web.console import accounts, auth, second_factor

PASSWORD = "a long enough password"
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


@pytest.fixture
def log_db(tmp_path, monkeypatch):
    path = tmp_path / "tracker.db"
    monkeypatch.setenv("TRACKER_DB", str(path))
    for name in ("CONVERSATIONS_DB_URL", "PROFILE", "PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    engine = db.make_engine(f"sqlite:///{path}")
    yield engine
    engine.dispose()


def test_add_list_and_remove_an_account(log_db, monkeypatch, capsys):
    monkeypatch.setenv("PASSWORD", PASSWORD)
    assert accounts.main(["add", "Recruiter@CPS.example", "--role", "admin"]) == 0
    assert "Added recruiter@cps.example (admin)" in capsys.readouterr().out
    with log_db.connect() as connection:
        account = auth.authenticate(connection, "recruiter@cps.example", PASSWORD)
        stored = connection.execute(sa.select(db.accounts.c.password_hash)).scalar_one()
    assert account is not None and account.is_admin
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert accounts.main(["list"]) == 0
    assert "recruiter@cps.example\tadmin" in capsys.readouterr().out
    assert accounts.main(["remove", "recruiter@cps.example"]) == 0
    assert accounts.main(["remove", "recruiter@cps.example"]) == 1  # already gone
    with log_db.connect() as connection:
        records = connection.execute(sa.select(db.audit.c.action, db.audit.c.detail)).all()
    assert [action for action, _ in records] == ["account-add", "account-remove"]
    assert all(PASSWORD not in detail for _, detail in records)
    assert json.loads(records[0][1]) == {"account": "recruiter@cps.example", "role": "admin"}


@pytest.mark.parametrize(
    ("argv", "password", "why"),
    [
        (["add", "not-an-email"], PASSWORD, "is not an email address"),
        (["add", "short@cps.example"], "too short", "at least 12 characters"),
    ],
)
def test_bad_accounts_are_refused_with_a_reason(log_db, monkeypatch, capsys, argv, password, why):
    monkeypatch.setenv("PASSWORD", password)
    assert accounts.main(argv) == 2
    assert why in capsys.readouterr().err
    with log_db.connect() as connection:
        assert connection.execute(sa.select(db.accounts)).first() is None


def test_a_second_account_with_the_same_email_is_refused(log_db, monkeypatch, capsys):
    monkeypatch.setenv("PASSWORD", PASSWORD)
    assert accounts.main(["add", "twice@cps.example"]) == 0
    assert accounts.main(["add", "TWICE@cps.example"]) == 2
    assert "already has an account" in capsys.readouterr().err


def test_reset_second_factor_makes_the_account_set_up_again(log_db, monkeypatch, capsys):
    monkeypatch.setenv("PASSWORD", PASSWORD)
    assert accounts.main(["add", "admin@cps.example", "--role", "admin"]) == 0
    assert "sets up its authenticator app at its first sign-in" in capsys.readouterr().out
    with log_db.begin() as connection:
        account = auth.find_account(connection, "admin@cps.example").account
        second_factor.enrol(connection, account.id, SECRET, pyotp.TOTP(SECRET).now())
        assert second_factor.status(connection, account.id).enrolled
    assert accounts.main(["reset-second-factor", "admin@cps.example"]) == 0
    assert accounts.main(["reset-second-factor", "nobody@cps.example"]) == 1
    with log_db.connect() as connection:
        assert second_factor.status(connection, account.id) == second_factor.SecondFactor(False, 0)
        records = connection.execute(sa.select(db.audit.c.action, db.audit.c.detail)).all()
    assert records[-1][0] == "second-factor-reset"
    assert json.loads(records[-1][1]) == {"account": "admin@cps.example"}

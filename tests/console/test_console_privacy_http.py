"""The console over HTTP with a sensitive conversation in the log: marked, left out of
search and export unless a recruiter chooses to include it (audited), and tags from a
fixed list. A web app of its own on SQLite, so the shared seeded log keeps its counts
(the same queries run on PostgreSQL in test_data_protection.py)."""

from __future__ import annotations

import json
import re
import uuid

import pytest
import sqlalchemy as sa
from backends import start_web_app
from seed import PASSWORD, RECRUITER, Turn, save, store_for

from bench.console_client import sign_in
from bot.storage import database as db
from web.console.auth import add_account
from web.console.queries import TAGS

DISCLOSED = "5e" + uuid.uuid4().hex[:30]
ASKED = "a5" + uuid.uuid4().hex[:30]


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    state = tmp_path_factory.mktemp("console-privacy")
    path = state / "tracker.db"
    store = store_for(path)
    save(
        store,
        DISCLOSED,
        [Turn("I'm pregnant, can I work flexibly at the CPS?", "flexible-working")],
    )
    save(store, ASKED, [Turn("can I work flexibly at the CPS?", "flexible-working")])
    engine = db.make_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        add_account(connection, RECRUITER, "recruiter", PASSWORD)
    service = start_web_app({"TRACKER_DB": str(path)}, state / "web.log")
    try:
        yield service, engine
    finally:
        service.stop()
        engine.dispose()


@pytest.fixture(scope="module")
def session(app):
    """One signed-in recruiter for the module: the first sign-in sets up the second factor."""
    service, _engine = app
    signed_in, _page = sign_in(service.url, RECRUITER, PASSWORD)
    return signed_in


def actions(engine, name: str) -> list[dict]:
    with engine.connect() as connection:
        rows = connection.execute(sa.select(db.audit).where(db.audit.c.action == name))
        return [dict(row._mapping) for row in rows]


def test_search_leaves_sensitive_conversations_out_unless_included_and_audited(app, session):
    service, engine = app
    listed = session.get(f"{service.url}/console/conversations", timeout=10).text
    assert DISCLOSED in listed and "Sensitive" in listed  # browsing shows it, marked
    found = session.get(
        f"{service.url}/console/conversations", params={"q": "flexibly"}, timeout=10
    ).text
    assert ASKED in found and DISCLOSED not in found
    assert not actions(engine, "search-including-sensitive")
    found = session.get(
        f"{service.url}/console/conversations",
        params={"q": "flexibly", "include_sensitive": "1"},
        timeout=10,
    ).text
    assert ASKED in found and DISCLOSED in found
    (audited,) = actions(engine, "search-including-sensitive")
    assert audited["actor"] == RECRUITER and "flexibly" not in audited["detail"]
    assert json.loads(audited["detail"])["filters"] == {"include_sensitive": "1", "search": True}


def test_export_leaves_sensitive_conversations_out_unless_included(app, session):
    service, engine = app
    plain = session.get(f"{service.url}/console/export.csv", timeout=10).text
    assert ASKED in plain and DISCLOSED not in plain and "pregnant" not in plain
    included = session.get(
        f"{service.url}/console/export.json", params={"include_sensitive": "1"}, timeout=10
    ).json()
    assert {c["conversation"] for c in included["conversations"]} == {ASKED, DISCLOSED}
    details = [json.loads(row["detail"]) for row in actions(engine, "export")]
    assert {d["filters"].get("include_sensitive") for d in details} == {None, "1"}


def test_a_sensitive_transcript_says_so_and_its_view_is_audited(app, session):
    service, engine = app
    page = session.get(f"{service.url}/console/conversations/{DISCLOSED}", timeout=10).text
    assert "Sensitive" in page and "pregnancy" in page and "30 days" in page
    views = [r for r in actions(engine, "view-transcript") if r["conversation_id"] == DISCLOSED]
    assert json.loads(views[-1]["detail"]) == {"sensitive": True}
    plain = session.get(f"{service.url}/console/conversations/{ASKED}", timeout=10).text
    assert "Sensitive" not in plain


def test_tags_are_chosen_from_the_fixed_list(app, session):
    service, engine = app
    url = f"{service.url}/console/conversations/{ASKED}"
    page = session.get(url, timeout=10).text
    assert re.findall(r'<option value="([^"]+)">', page) == list(TAGS)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    made_up = session.post(
        f"{url}/tags", data={"tag": "call back jane", "csrf_token": token}, timeout=10
    )
    assert made_up.status_code == 400 and "from the list" in made_up.text
    chosen = session.post(
        f"{url}/tags",
        data={"tag": "follow up", "csrf_token": token},
        allow_redirects=False,
        timeout=10,
    )
    assert chosen.status_code == 303
    with engine.connect() as connection:
        tags = set(connection.execute(sa.select(db.tags.c.tag)).scalars())
    assert tags == {"follow up"}
    page = session.get(url, timeout=10).text
    assert '<option value="follow up">' not in page  # only tags not given yet are offered

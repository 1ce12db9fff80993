"""The editors' pages over HTTP: Improve (training examples from real questions) and
Answers (editing the knowledge file), on a copy of the content files. A recruiter can
reach neither the pages nor their form posts; every decision and edit is audited."""

from __future__ import annotations

import difflib
import html
import re
from collections.abc import Iterator

import pytest
import requests
import sqlalchemy as sa
import yaml
from editing import editing_console
from seed import PASSWORD

from bench.console_client import csrf_token
from bench.console_client import sign_in as bench_sign_in
from bot.knowledge.loader import read_knowledge
from bot.storage import database as db

EDITOR_PAGES = [
    "/console/improve/", "/console/answers/", "/console/answers/salary", "/console/models/",
]


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def console(request, tmp_path_factory) -> Iterator:
    state = tmp_path_factory.mktemp(f"editing-{request.param}")
    # No Rasa here: the Improve page says the live model cannot be asked.
    with editing_console(request.param, state, {"RASA_API_TOKEN": "not-used"}) as running:
        yield running


def signed_in(console, role: str) -> requests.Session:
    email, secret = console.new_account(role)
    session, _ = bench_sign_in(console.url, email, PASSWORD, secret)
    session.email = email
    return session


def form_token(session, console, path: str) -> str:
    return csrf_token(session.get(f"{console.url}{path}", timeout=60).text)


def event_id_of(console, text: str) -> int:
    with console.engine.connect() as connection:
        return connection.execute(
            sa.select(db.messages.c.event_id).where(db.messages.c.text == text)
        ).scalar_one()


def audit_actions(console, actor: str) -> list[tuple]:
    with console.engine.connect() as connection:
        return [
            tuple(row)
            for row in connection.execute(
                sa.select(db.audit.c.action, db.audit.c.conversation_id, db.audit.c.detail)
                .where(db.audit.c.actor == actor)
                .order_by(db.audit.c.id)
            )
        ]


def test_a_recruiter_can_reach_no_editor_page_or_post(console):
    recruiter = signed_in(console, "recruiter")
    token = form_token(recruiter, console, "/console/conversations")
    for path in EDITOR_PAGES:
        response = recruiter.get(f"{console.url}{path}", timeout=60)
        assert response.status_code == 403, path
        assert "Only editors" in response.text
    event = event_id_of(console, "is there parking at the office")
    before = (console.content / "bot/knowledge/careers.yml").read_bytes()
    for path, data in [
        (f"/console/improve/{event}/example", {"topic": "locations"}),
        (f"/console/improve/{event}/mark", {"mark": "out-of-scope"}),
        ("/console/answers/salary", {"title": "Pay", "action": "save"}),
        ("/console/answers/salary/revert/1", {}),
        ("/console/models/train", {}),
        ("/console/models/rollback", {}),
    ]:
        response = recruiter.post(
            f"{console.url}{path}", data={"csrf_token": token, **data}, timeout=60,
            allow_redirects=False,
        )
        assert response.status_code == 403, path
    assert (console.content / "bot/knowledge/careers.yml").read_bytes() == before
    assert not (console.content / "bot/data/nlu/from_conversations.yml").exists()
    with console.engine.connect() as connection:
        assert connection.execute(sa.select(sa.func.count()).select_from(db.models)).scalar() == 0
    page = recruiter.get(f"{console.url}/console/conversations", timeout=60).text
    assert "/console/improve/" not in page  # not in the navigation either


def test_an_editor_adds_a_question_as_a_training_example_with_its_provenance(console):
    editor = signed_in(console, "editor")
    page = editor.get(f"{console.url}/console/improve/", timeout=60)
    assert page.status_code == 200
    assert "is there parking at the office" in page.text
    assert "can I bring my dog to the office &lt;b&gt;please&lt;/b&gt;" in page.text
    assert "<b>please</b>" not in page.text
    assert "cannot be shown" in page.text  # the live model: no Rasa in this test
    event = event_id_of(console, "is there parking at the office")
    response = editor.post(
        f"{console.url}/console/improve/{event}/example",
        data={"csrf_token": csrf_token(page.text), "topic": "locations",
              "text": "something else the browser made up"},
        allow_redirects=False, timeout=60,
    )
    assert response.status_code == 303
    written = yaml.safe_load((console.content / "bot/data/nlu/from_conversations.yml").read_text())
    [block] = [item for item in written["nlu"] if item["intent"] == "locations"]
    [example] = block["examples"]
    assert example["text"] == "is there parking at the office"  # as stored, never as posted
    assert example["metadata"]["conversation"] == console.ids["parking"]
    assert example["metadata"]["approved_by"] == editor.email
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", example["metadata"]["asked"])
    after = editor.get(f"{console.url}/console/improve/?done=example", timeout=60).text
    assert "added as a training example" in after
    assert "is there parking at the office" not in after  # decided: off the list
    actions = audit_actions(console, editor.email)
    assert ("training-example-add", console.ids["parking"]) in [a[:2] for a in actions]
    assert all("parking" not in detail for _, _, detail in actions)  # never the text


def test_an_editor_marks_questions_and_bad_choices_are_refused(console):
    editor = signed_in(console, "editor")
    token = form_token(editor, console, "/console/improve/")
    dog = event_id_of(console, "can I bring my dog to the office <b>please</b>")
    refused = editor.post(
        f"{console.url}/console/improve/{dog}/example",
        data={"csrf_token": token, "topic": "not-a-topic"}, timeout=60,
    )
    assert refused.status_code == 400 and "Choose a topic from the list" in refused.text
    marked = editor.post(
        f"{console.url}/console/improve/{dog}/mark",
        data={"csrf_token": token, "mark": "needs-answer"}, timeout=60,
    )
    assert marked.status_code == 200
    needing = marked.text.split('id="needing"')[1]
    assert "can I bring my dog to the office &lt;b&gt;please&lt;/b&gt;" in needing
    no_token = editor.post(
        f"{console.url}/console/improve/{dog}/mark", data={"mark": "out-of-scope"}, timeout=60
    )
    assert no_token.status_code == 403
    assert ("question-mark", console.ids["dog"]) in [
        a[:2] for a in audit_actions(console, editor.email)
    ]


def test_a_measurement_question_never_becomes_a_training_example():
    from bot.content.examples import ExampleRefused, check
    from bot.evaluation.heldout import SETS, load_questions

    held_out = load_questions(SETS["heldout"])[0]
    with pytest.raises(ExampleRefused, match="measured on"):
        check(held_out.text, held_out.topic)


def _answer_form(editor, console, entry: str) -> dict[str, str]:
    """The edit form's fields as the page fills them in."""
    page = editor.get(f"{console.url}/console/answers/{entry}", timeout=60).text
    values = {"csrf_token": csrf_token(page)}
    for name in ("title", "source", "reviewed", "related"):
        found = re.search(rf'id="{name}" name="{name}" type="text" value="([^"]*)"', page)
        values[name] = html.unescape(found[1])
    for name in ("answer", "detail", "phrases"):
        found = re.search(rf'id="{name}" name="{name}"[^>]*>(.*?)</textarea>', page, re.S)
        values[name] = html.unescape(found[1])
    return values


def test_an_editor_edits_an_answer_sees_errors_beside_fields_and_reverts(console):
    editor = signed_in(console, "editor")
    knowledge = console.content / "bot/knowledge/careers.yml"
    original = knowledge.read_text()
    form = _answer_form(editor, console, "pension")

    bad = {
        **form,
        "source": "http://example.org/<script>",
        "answer": form["answer"] + " <b>bold</b>",
        "action": "save",
    }
    refused = editor.post(f"{console.url}/console/answers/pension", data=bad, timeout=60)
    assert refused.status_code == 400
    assert knowledge.read_text() == original  # nothing written
    assert 'class="govuk-error-message" id="source-error-1"' in refused.text
    assert "must be a web address starting with https://" in refused.text
    assert "&lt;b&gt;bold&lt;/b&gt;" in refused.text and "<b>bold</b>" not in refused.text
    assert "http://example.org/&lt;script&gt;" in refused.text  # what was typed is kept

    preview = editor.post(
        f"{console.url}/console/answers/pension",
        data={**form, "answer": "A new pension answer for the preview.", "action": "preview"},
        timeout=60,
    )
    assert preview.status_code == 200 and "Preview (not saved)" in preview.text
    assert "A new pension answer for the preview." in preview.text
    assert knowledge.read_text() == original

    new_answer = form["answer"] + " Ask the recruitment team for the scheme guide."
    saved = editor.post(
        f"{console.url}/console/answers/pension",
        data={**form, "answer": new_answer, "action": "save"}, timeout=60,
    )
    assert saved.status_code == 200 and "Saved." in saved.text
    changed = knowledge.read_text()
    assert read_knowledge(knowledge).entries["pension"].answer == " ".join(new_answer.split())
    # Only the entry's own lines changed: the rest of the file is as it was.
    diff = list(difflib.unified_diff(original.splitlines(), changed.splitlines(), n=0))
    removed = [line for line in diff if line.startswith("-") and not line.startswith("---")]
    assert 0 < len(removed) <= 6
    assert "console-diff-add" in saved.text and "scheme guide." in saved.text  # its history

    with console.engine.connect() as connection:
        change = connection.execute(
            sa.select(db.content_changes).order_by(db.content_changes.c.id.desc())
        ).first()
    assert change.entry_id == "pension" and change.actor == editor.email
    token = csrf_token(saved.text)
    reverted = editor.post(
        f"{console.url}/console/answers/pension/revert/{change.id}",
        data={"csrf_token": token}, timeout=60,
    )
    assert reverted.status_code == 200 and "The change was reverted." in reverted.text
    assert knowledge.read_text() == original
    actions = [a[0] for a in audit_actions(console, editor.email)]
    assert actions.count("answer-edit") == 1 and actions.count("answer-revert") == 1


def test_a_refused_model_is_listed_with_its_figures_and_why(console):
    """The page's side of a refusal (the whole loop, with a real model, is in
    tests/e2e/test_improvement_loop.py)."""
    from web.console.publishing import verdict

    welsh = {"right": 0.83, "confident_wrong": 0.05, "fallback": 0.12, "questions": 208}
    live = {"right": 0.90, "confident_wrong": 0.03, "fallback": 0.07, "questions": 535}
    live["welsh"] = welsh
    worse = {"right": 0.85, "confident_wrong": 0.06, "fallback": 0.09, "questions": 535}
    worse["welsh"] = {**welsh, "right": 0.70}
    judged = verdict(worse, live)
    assert not judged.ok and len(judged.reasons) == 3
    assert "85.0% against 90.0%" in judged.reasons[0]
    assert judged.reasons[2].startswith("In Welsh: Right topic: 70.0% against 83.0%")
    assert verdict({**live, "welsh": {**welsh, "right": 0.815}}, live).ok  # Welsh: 2 points
    assert verdict({**live, "right": 0.895}, live).ok  # within the tolerance
    # Better in English does not excuse worse in Welsh.
    assert not verdict({**live, "right": 0.95, "welsh": {**welsh, "right": 0.80}}, live).ok
    import json
    import time

    with console.engine.begin() as connection:
        connection.execute(db.models.insert().values(
            name="careers-0123456789abcdef.tar.gz", state="refused", progress="Not published",
            requested_by="someone@cps.example", requested_at=time.time(),
            figures=json.dumps(worse), live_figures=json.dumps(live),
            reason=" ".join(judged.reasons),
        ))
    editor = signed_in(console, "editor")
    page = editor.get(f"{console.url}/console/models/", timeout=60)
    assert page.status_code == 200
    assert "Refused" in page.text and "85.0% against 90.0%" in page.text
    assert "In Welsh: 70.0%, live then: 83.0%" in page.text
    assert "may fall by at most 1.0 percentage points in English and 2.0 in Welsh" in page.text
    assert "cannot be shown" in page.text  # no Rasa in this test


def test_a_model_is_live_only_when_every_worker_answers_with_it(console):
    """The page's side of a rollout, from the rows the Rasa workers write (the workers
    themselves are in tests/console/test_improvement_loop_production_browser.py)."""
    import time

    from bot.storage import model_servers

    now = time.time()
    new, old = "careers-00000000000000aa.tar.gz", "careers-00000000000000bb.tar.gz"
    with console.engine.begin() as connection:
        connection.execute(db.models.update().where(db.models.c.state == "live")
                           .values(state="retired"))
        live_id = connection.execute(db.models.insert().values(
            name=new, state="live", progress="Going live", requested_by="someone@cps.example",
            requested_at=now, live_since=now,
        )).inserted_primary_key[0]
    for worker, model in [("pod-1:101", new), ("pod-1:102", old), ("pod-2:7", old)]:
        model_servers.report(console.engine, worker, model, started_at=now, loaded_at=now)
    with console.engine.begin() as connection:  # pod-2 died a while ago: not waited for
        connection.execute(db.model_servers.update().where(db.model_servers.c.worker == "pod-2:7")
                           .values(updated_at=now - model_servers.STALE_SECONDS - 5))
    editor = signed_in(console, "editor")

    def state_cell() -> str:
        page = editor.get(f"{console.url}/console/models/", timeout=60).text
        row = re.search(rf"<tr[^>]*>\s*<td[^>]*>{re.escape(new)}.*?</tr>", page, re.S).group(0)
        return " ".join(re.sub(r"<[^>]+>", " ", html.unescape(row)).split())

    cell = state_cell()
    assert "Going live, 1 of 2 workers answer with it" in cell and "Live" not in cell

    # Ten minutes on, one worker still has the old model: the page says which, plainly.
    with console.engine.begin() as connection:
        connection.execute(db.models.update().where(db.models.c.id == live_id)
                           .values(live_since=now - 601))
    cell = state_cell()
    assert "Not live everywhere" in cell
    assert f"After 10 minutes, 1 of 2 workers answer with it: pod-1:102 still answers with {old}"\
        in cell

    model_servers.report(console.engine, "pod-1:102", new, started_at=now, loaded_at=time.time())
    cell = state_cell()
    assert "Live 2 of 2 workers answer with it" in cell and "Going live" not in cell, cell
    assert "pod-2:7" not in editor.get(f"{console.url}/console/models/", timeout=60).text

"""The loader accepts a valid knowledge file and rejects each kind of editing mistake.

Each bad variant starts from a small valid file, breaks one thing, and checks
that the error names the entry and field an editor has to fix.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml

from bot.knowledge import KNOWLEDGE_FILE, KnowledgeError, load_knowledge
from bot.knowledge.__main__ import main
from bot.knowledge.loader import REQUIRED_CONVERSATION, REQUIRED_LABELS
from bot.knowledge.sources import is_official, promises, session_problem
from bot.knowledge.stale import months_before, old_facts, stale_entries

REPO = Path(__file__).resolve().parents[2]
TODAY = date.today()


def _entry(entry_id: str, related: list[str], **fields: object) -> dict:
    return {
        "id": entry_id,
        "title": entry_id.title(),
        "answer": "A short answer.",
        "source": "https://www.cps.gov.uk/example",
        "reviewed": TODAY,
        "related": related,
        "phrases": [f"{entry_id} one", f"{entry_id} two", f"{entry_id} three"],
        **fields,
    }


def valid_data() -> dict:
    """A small valid file: three entries (one with pay and apply), places, every reply."""
    pay = {
        "answer": "In the January 2025 advert it paid £1. Check the live advert.",
        "london": "In the January 2025 advert London paid £2. Check the live advert.",
        "source": "https://www.cps.gov.uk/pay",
        "advertised": "2025-01",
    }
    apply = {"answer": "Apply on Civil Service Jobs.", "source": "https://www.cps.gov.uk/apply"}
    return {
        "entries": [
            _entry("alpha", ["beta", "gamma"], kind="role", pay=pay, apply=apply),
            _entry("beta", ["alpha", "gamma"]),
            _entry("gamma", ["alpha", "beta"], kind="benefit"),
        ],
        "places": ["London", "Leeds"],
        "conversation": {key: {"answer": f"The {key} reply."} for key in REQUIRED_CONVERSATION},
        "labels": {key: {"wording": f"The {key} label"} for key in REQUIRED_LABELS},
    }


def write(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / "careers.yml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def load_error(tmp_path: Path, data: dict) -> str:
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(write(tmp_path, data), reload=True)
    return str(caught.value)


def test_the_real_knowledge_file_is_valid():
    kb = load_knowledge(KNOWLEDGE_FILE, reload=True)
    assert kb.entries and kb.places and kb.conversation
    assert KNOWLEDGE_FILE.is_absolute()


def test_a_valid_file_gives_the_public_api(tmp_path):
    kb = load_knowledge(write(tmp_path, valid_data()), reload=True)
    assert list(kb.entries) == ["alpha", "beta", "gamma"]  # file order
    assert kb.get("alpha").pay.london.startswith("In the January 2025 advert London")
    assert kb.get("alpha").apply.source == "https://www.cps.gov.uk/apply"
    assert kb.get("beta").kind is None and kb.get("missing") is None
    assert kb.get("beta").reviewed == TODAY
    assert kb.conversation["greeting"].answer == "The greeting reply."
    assert kb.conversation["greeting"].source is None
    assert kb.places == ["London", "Leeds"]
    assert kb.phrases_by_kind() == {
        "role": {"alpha one": "alpha", "alpha two": "alpha", "alpha three": "alpha"},
        "benefit": {"gamma one": "gamma", "gamma two": "gamma", "gamma three": "gamma"},
    }


def test_loading_is_cached_until_reload(tmp_path):
    path = write(tmp_path, valid_data())
    first = load_knowledge(path, reload=True)
    assert load_knowledge(path) is first
    assert load_knowledge(path, reload=True) is not first


def test_an_answer_of_exactly_90_words_is_accepted(tmp_path):
    data = valid_data()
    data["entries"][0]["answer"] = " ".join(["word"] * 90)
    load_knowledge(write(tmp_path, data), reload=True)


def _set(path: str, value: object) -> Callable[[dict], None]:
    """A mutation that sets e.g. 'entries.0.pay.source' to value."""
    *parents, last = path.split(".")

    def mutate(data: dict) -> None:
        target = data
        for part in parents:
            target = target[int(part)] if isinstance(target, list) else target[part]
        target[last] = value

    return mutate


def _delete(path: str) -> Callable[[dict], None]:
    *parents, last = path.split(".")

    def mutate(data: dict) -> None:
        target = data
        for part in parents:
            target = target[int(part)] if isinstance(target, list) else target[part]
        del target[last]

    return mutate


LONG = " ".join(["word"] * 91)

BAD_VARIANTS = {
    "missing answer": (_delete("entries.0.answer"), ["entry 'alpha'", "`answer`", "missing"]),
    "missing reviewed": (_delete("entries.1.reviewed"), ["entry 'beta'", "`reviewed`", "missing"]),
    "missing pay source": (_delete("entries.0.pay.source"), ["entry 'alpha'", "`pay.source`"]),
    "empty answer": (_set("entries.1.answer", ""), ["entry 'beta'", "`answer`"]),
    "id with capitals": (_set("entries.1.id", "Beta_Two"), ["'Beta_Two' is not a valid id"]),
    "id with a trailing hyphen": (_set("entries.1.id", "beta-"), ["'beta-' is not a valid id"]),
    "duplicate id": (_set("entries.2.id", "beta"), ["the id 'beta' is used by 2 entries"]),
    "http source": (
        _set("entries.0.source", "http://www.cps.gov.uk/x"),
        ["entry 'alpha'", "`source`", "https://"],
    ),
    "http pay source": (_set("entries.0.pay.source", "http://x.org"), ["`pay.source`", "https://"]),
    "http apply source": (_set("entries.0.apply.source", "www.x.org"), ["`apply.source`"]),
    "http conversation source": (
        _set("conversation.greeting.source", "http://x.org"),
        ["conversation reply 'greeting'", "`source`", "https://"],
    ),
    "reviewed in the future": (
        _set("entries.1.reviewed", TODAY + timedelta(days=1)),
        ["entry 'beta'", "`reviewed`", "in the future"],
    ),
    "reviewed not ISO": (_set("entries.1.reviewed", "23/11/2026"), ["`reviewed`", "YYYY-MM-DD"]),
    "reviewed as a number": (_set("entries.1.reviewed", 20261123), ["`reviewed`", "YYYY-MM-DD"]),
    "answer over 90 words": (_set("entries.2.answer", LONG), ["entry 'gamma'", "91 words"]),
    "pay answer over 90 words": (_set("entries.0.pay.answer", LONG + " 2025 advert"), ["93 words"]),
    "conversation answer over 90 words": (
        _set("conversation.fallback.answer", LONG),
        ["conversation reply 'fallback'", "91 words"],
    ),
    "related id that does not exist": (
        _set("entries.1.related", ["alpha", "delta"]),
        ["entry 'beta'", "no entry with the id 'delta'"],
    ),
    "related to itself": (
        _set("entries.1.related", ["alpha", "beta"]),
        ["entry 'beta'", "cannot be related to itself"],
    ),
    "related listed twice": (
        _set("entries.0.related", ["beta", "beta"]),
        ["entry 'alpha'", "'beta' is listed twice"],
    ),
    "too few related": (_set("entries.1.related", ["alpha"]), ["entry 'beta'", "`related`"]),
    "too many phrases": (
        _set("entries.1.phrases", [f"beta {n}" for n in range(13)]),
        ["entry 'beta'", "`phrases`"],
    ),
    "unknown kind": (_set("entries.1.kind", "job"), ["entry 'beta'", "`kind`", "permitted"]),
    "phrase shared by two entries": (
        _set("entries.1.phrases", ["Alpha  One", "beta two", "beta three"]),
        ["entry 'beta'", "'Alpha  One' is also a phrase of entry 'alpha'"],
    ),
    "phrase that is a place": (
        _set("entries.1.phrases", ["leeds", "beta two", "beta three"]),
        ["entry 'beta'", "'leeds' is also in `places`"],
    ),
    "misspelt field": (_set("entries.0.anwser", "x"), ["entry 'alpha'", "`anwser`", "not a known"]),
    "misspelt pay field": (_set("entries.0.pay.londn", "x"), ["`pay.londn`", "not a known"]),
    "unknown section": (_set("faq", []), ["section `faq`", "not a known field"]),
    "place that is not text": (
        _set("places", ["London", ["Leeds"]]),
        ["section `places`, field `item 2`"],
    ),
    "pay answer without its date": (
        _set("entries.0.pay.answer", "It paid £1. Check the live advert."),
        ["entry 'alpha'", "`pay.answer`", "'January 2025'", "`advertised: 2025-01`"],
    ),
    "pay answer with the year but not the month": (
        _set("entries.0.pay.answer", "In the 2025 advert it paid £1."),
        ["`pay.answer`", "'January 2025'"],
    ),
    "pay answer without the advert": (
        _set("entries.0.pay.answer", "In January 2025 it paid £1."),
        ["entry 'alpha'", "`pay.answer`", "check the live advert"],
    ),
    "London pay without its date": (
        _set("entries.0.pay.london", "London paid £2. Check the advert."),
        ["`pay.london`", "'January 2025'"],
    ),
    "entry advertised but its answer undated": (
        _set("entries.1.advertised", "2026-01"),
        ["entry 'beta'", "`answer`", "'January 2026'"],
    ),
    "apply advertised but its answer undated": (
        _set("entries.0.apply.advertised", "2025-11"),
        ["entry 'alpha'", "`apply`", "'November 2025'"],
    ),
    "entry advertised with a day": (
        _set("entries.1.advertised", date(2025, 1, 15)),
        ["entry 'beta'", "`advertised`", "like 2026-01"],
    ),
    "session id in a source": (
        _set("entries.0.source", "https://www.civilservicejobs.service.gov.uk/csr/index.cgi?SID=abc"),
        ["entry 'alpha'", "`source`", "session id", "jobs.cgi?jcode="],
    ),
    "session id in a pay source": (
        _set("entries.0.pay.source", "https://example.org/job;jsessionid=1A2B?x=1"),
        ["entry 'alpha'", "`pay.source`", "session id"],
    ),
    "session id in other sources": (
        _set("entries.1.other_sources", ["https://example.org/a", "https://x.org/p?PHPSESSID=9"]),
        ["entry 'beta'", "`other_sources.item 2`", "session id"],
    ),
    "session id in a conversation source": (
        _set("conversation.goodbye.source", "https://x.org/?sid=1"),
        ["conversation reply 'goodbye'", "`source`", "session id"],
    ),
    "EDITOR note in an answer": (
        _set("entries.1.answer", "EDITOR: write this answer."),
        ["entry 'beta'", "`answer`", "EDITOR note"],
    ),
    "EDITOR note in a reply": (
        _set("conversation.thanks.answer", "Thanks. EDITOR check this."),
        ["conversation reply 'thanks'", "`answer`", "EDITOR note"],
    ),
    "everyone who": (
        _set("entries.1.answer", "Everyone who completes the scheme gets a job."),
        ["entry 'beta'", "field `answer`", "'Everyone who'", "`quoted`"],
    ),
    "all ... jobs": (
        _set("entries.1.detail", "All CPS legal jobs are advertised there."),
        ["entry 'beta'", "field `detail`", "'All CPS legal jobs'"],
    ),
    "guaranteed": (
        _set("entries.0.apply.answer", "An interview is guaranteed."),
        ["entry 'alpha'", "field `apply.answer`", "'guaranteed'"],
    ),
    "every applicant": (
        _set("entries.0.pay.answer", "In January 2025 every applicant got £1. See the advert."),
        ["field `pay.answer`", "'every applicant'"],
    ),
    "promise in a conversation reply": (
        _set("conversation.goodbye.answer", "Goodbye. You are guaranteed an answer."),
        ["conversation reply 'goodbye'", "field `answer`", "'guaranteed'"],
    ),
    "quoted passage that is not in any text": (
        _set("entries.1.quoted", ["all trainees who successfully complete"]),
        ["entry 'beta'", "field `quoted`", "not in any of the entry's texts"],
    ),
    "advertised with a day": (
        _set("entries.0.pay.advertised", date(2025, 1, 15)),
        ["`pay.advertised`", "like 2026-01"],
    ),
    "advertised in the future": (
        _set("entries.0.pay.advertised", f"{TODAY.year + 1}-01"),
        ["`pay.advertised`", "in the future"],
    ),
    "missing conversation reply": (
        _delete("conversation.fallback"),
        ["the reply 'fallback' is missing"],
    ),
    "place listed twice": (
        _set("places", ["London", "Leeds", "leeds"]),
        ["'leeds' is listed twice"],
    ),
    "London removed from places": (_set("places", ["Leeds"]), ["keep 'London'"]),
}


@pytest.mark.parametrize("name", list(BAD_VARIANTS))
def test_each_rule_rejects_a_bad_variant(tmp_path, name):
    mutate, expected = BAD_VARIANTS[name]
    data = valid_data()
    mutate(data)
    message = load_error(tmp_path, data)
    for fragment in expected:
        assert fragment in message, f"{fragment!r} not in:\n{message}"


@pytest.mark.parametrize(
    "answer",
    [
        "Location preferences are not guaranteed.",
        "There is no guarantee of a place.",
        "Staff at all grades can apply; everyone is welcome to ask.",
    ],
)
def test_hedged_wording_is_not_taken_for_a_promise(tmp_path, answer):
    data = valid_data()
    data["entries"][1]["answer"] = answer
    load_knowledge(write(tmp_path, data), reload=True)


def test_a_promise_is_accepted_inside_a_passage_quoted_from_the_source(tmp_path):
    data = valid_data()
    quote = "All trainees who successfully complete the programme will be offered a role"
    data["entries"][1]["answer"] = f'The advert says: "{quote}."'
    data["entries"][1]["quoted"] = [quote]
    assert load_knowledge(write(tmp_path, data), reload=True).get("beta").quoted == [quote]
    data["entries"][1]["answer"] += " Everyone who applies is interviewed."
    assert "'Everyone who'" in load_error(tmp_path, data)


def test_an_editor_note_in_a_comment_is_reported_with_its_line(tmp_path):
    text = yaml.safe_dump(valid_data(), sort_keys=False, allow_unicode=True)
    text = text.replace("entries:\n", "entries:\n# EDITOR: confirm the pay figure\n", 1)
    path = tmp_path / "careers.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(path, reload=True)
    assert "line 2: an EDITOR note is still in the file" in str(caught.value)
    assert "confirm the pay figure" in str(caught.value)


@pytest.mark.parametrize(
    ("url", "official"),
    [
        ("https://www.cps.gov.uk/careers", True),
        ("https://gov.uk/government/organisations/crown-prosecution-service/about", True),
        ("https://www.civilservicejobs.service.gov.uk/csr/jobs.cgi?jcode=1", True),
        ("https://hansard.parliament.uk/Commons/2021-02-04/x", True),
        ("https://www.civilservicepensionscheme.org.uk/memberhub", True),
        ("https://www.police.uk/", True),
        ("https://www.newlawjournal.co.uk/content/x", False),
        ("https://notgov.uk/x", False),
        ("https://gov.uk.example.com/x", False),
    ],
)
def test_official_sources_are_known_by_their_domain(url, official):
    assert is_official(url) is official


def test_session_ids_are_found_in_any_case_and_stable_links_pass():
    jobs = "https://www.civilservicejobs.service.gov.uk/csr"
    assert session_problem(f"{jobs}/index.cgi?sid=x")
    assert session_problem("https://example.org/a?JSESSIONID=1")
    assert session_problem(f"{jobs}/jobs.cgi?jcode=1") is None
    assert session_problem("https://www.cps.gov.uk/side?side=1") is None


def test_promises_names_each_absolute_phrase():
    text = "Everyone who applies gets in. All CPS jobs are there. Interviews are guaranteed."
    assert promises(text) == ["Everyone who", "All CPS jobs", "guaranteed"]


def test_a_field_written_twice_is_rejected(tmp_path):
    text = yaml.safe_dump(valid_data(), sort_keys=False, allow_unicode=True)
    text = text.replace("  title: Beta\n", "  title: Beta\n  title: Beta again\n", 1)
    path = tmp_path / "careers.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(KnowledgeError, match="'title' is written twice"):
        load_knowledge(path, reload=True)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("entries: [unclosed\n", "is not valid YAML"),
        ("- just\n- a list\n", "must have the sections"),
        ("", "must have the sections"),
    ],
)
def test_unreadable_files_are_rejected(tmp_path, text, expected):
    path = tmp_path / "careers.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(KnowledgeError, match=expected):
        load_knowledge(path, reload=True)


def test_a_missing_file_is_reported(tmp_path):
    with pytest.raises(KnowledgeError, match="cannot read"):
        load_knowledge(tmp_path / "nowhere.yml", reload=True)


# ---------------------------------------------------------------- stale report


def test_months_before_keeps_the_day_or_clamps_it():
    assert months_before(date(2026, 11, 23), 12) == date(2025, 11, 23)
    assert months_before(date(2026, 3, 31), 1) == date(2026, 2, 28)
    assert months_before(date(2026, 1, 15), 2) == date(2025, 11, 15)


def stale_fixture(tmp_path: Path) -> Path:
    year_ago = months_before(TODAY, 12)
    data = valid_data()
    data["entries"][0]["reviewed"] = date(2020, 1, 1)  # long overdue
    data["entries"][1]["reviewed"] = year_ago  # exactly 12 months: not yet stale
    data["entries"][2]["reviewed"] = year_ago - timedelta(days=1)  # a day past
    return write(tmp_path, data)


def test_stale_lists_entries_reviewed_more_than_12_months_ago(tmp_path):
    kb = load_knowledge(stale_fixture(tmp_path), reload=True)
    stale = stale_entries(kb, months=12)
    assert [item.entry.id for item in stale] == ["alpha", "gamma"]  # oldest first
    assert stale[1].months == 12
    assert [item.entry.id for item in stale_entries(kb, months=1000)] == []


def test_stale_command_prints_a_report_and_exits_0(tmp_path, capsys):
    path = str(stale_fixture(tmp_path))
    assert main(["stale", "--file", path]) == 0
    out = capsys.readouterr().out
    assert "2 of 3 entries" in out
    assert "alpha" in out and "2020-01-01" in out and "gamma" in out
    assert "beta" not in out
    assert "alpha, pay.advertised  January 2025" in out  # the fixture's pay is long past
    assert main(["stale", "--file", path, "--months", "1000"]) == 0
    out = capsys.readouterr().out
    assert "No entry" in out and "No pay or campaign date" in out


def test_old_facts_are_dated_pay_and_campaigns_more_than_12_months_old(tmp_path):
    this_month = TODAY.replace(day=1)
    year_ago = months_before(this_month, 12).isoformat()[:7]
    over_a_year = months_before(this_month, 13).isoformat()[:7]
    data = valid_data()
    data["entries"][0]["pay"]["advertised"] = year_ago  # exactly 12 months: not yet old
    for text in ("answer", "london"):
        data["entries"][0]["pay"][text] = f"In {month_name(year_ago)} it paid £1. See the advert."
    data["entries"][0]["apply"] = {
        "answer": f"The {month_name(over_a_year)} campaign has closed.",
        "source": "https://www.cps.gov.uk/apply",
        "advertised": over_a_year,
    }
    data["entries"][2]["advertised"] = over_a_year
    data["entries"][2]["answer"] = f"Open in {month_name(over_a_year)}."
    kb = load_knowledge(write(tmp_path, data), reload=True)
    found = [(fact.entry.id, fact.field, fact.months) for fact in old_facts(kb, months=12)]
    assert found == [("alpha", "apply.advertised", 13), ("gamma", "advertised", 13)]


def month_name(year_month: str) -> str:
    year, month = year_month.split("-")
    return f"{date(int(year), int(month), 1):%B} {year}"


def test_check_command_reports_the_official_share_and_refuses_too_little(tmp_path, capsys):
    data = valid_data()
    assert main(["check", "--file", str(write(tmp_path, data))]) == 0
    assert "Main sources: 3 of 3 official (100%" in capsys.readouterr().out
    data["entries"][1]["source"] = "https://www.newlawjournal.co.uk/content/x"
    assert main(["check", "--file", str(write(tmp_path, data))]) == 1  # 67% is below 75%
    captured = capsys.readouterr()
    assert "2 of 3 official (67%" in captured.out
    assert "beta  www.newlawjournal.co.uk" in captured.out
    assert "Too few official sources" in captured.err


def test_check_command_reports_problems_and_exits_1(tmp_path, capsys):
    data = valid_data()
    data["entries"][1]["source"] = "http://insecure.example"
    assert main(["check", "--file", str(write(tmp_path, data))]) == 1
    assert "entry 'beta', field `source`" in capsys.readouterr().err


def test_check_command_runs_as_a_module_on_the_real_file():
    result = subprocess.run(
        [sys.executable, "-m", "bot.knowledge", "check"],
        cwd=REPO,
        env={"PYTHONPATH": str(REPO), "PATH": ""},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "careers.yml is valid" in result.stdout

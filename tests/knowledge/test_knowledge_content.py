"""The real knowledge file against the shared topic list and the answer contract.

Every knowledge topic of ../shared/topics.yml has an entry, and every entry's
`answer` states its topic's must_mention facts (patterns in must_mention.yml).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from bot.knowledge import load_knowledge
from bot.knowledge.sources import MIN_OFFICIAL_SHARE, is_official, official_share

HERE = Path(__file__).resolve().parent
TOPICS_FILE = Path(__file__).resolve().parents[2].parent / "shared" / "topics.yml"
YEAR = re.compile(r"\b20\d\d\b")


def knowledge_topics() -> dict[str, dict]:
    groups = yaml.safe_load(TOPICS_FILE.read_text(encoding="utf-8"))["groups"]
    return {
        topic_id: topic
        for group in groups.values()
        if group.get("knowledge")
        for topic_id, topic in group["topics"].items()
    }


TOPICS = knowledge_topics()
MUST_MENTION = yaml.safe_load((HERE / "must_mention.yml").read_text(encoding="utf-8"))
KB = load_knowledge()


def test_every_knowledge_topic_has_an_entry_and_no_entry_is_unknown():
    missing = sorted(set(TOPICS) - set(KB.entries))
    unknown = sorted(set(KB.entries) - set(TOPICS))
    assert not missing, f"topics without an entry: {missing}"
    assert not unknown, f"entries whose id is not a knowledge topic: {unknown}"


def test_every_must_mention_item_has_a_check():
    unchecked = [
        f"{topic_id}: {item}"
        for topic_id, topic in TOPICS.items()
        for item in topic.get("must_mention", [])
        if not MUST_MENTION.get(topic_id, {}).get(item)
    ]
    assert not unchecked, "add patterns to tests/knowledge/must_mention.yml for:\n" + "\n".join(
        unchecked
    )


def test_must_mention_fixture_has_no_stale_items():
    stale = [
        f"{topic_id}: {item}"
        for topic_id, items in MUST_MENTION.items()
        for item in items
        if item not in TOPICS.get(topic_id, {}).get("must_mention", [])
    ]
    assert not stale, "must_mention.yml checks facts topics.yml no longer lists:\n" + "\n".join(
        stale
    )


@pytest.mark.parametrize("topic_id", sorted(TOPICS))
def test_answer_states_the_must_mention_facts(topic_id):
    entry = KB.get(topic_id)
    assert entry is not None
    missing = [
        item
        for item, patterns in MUST_MENTION.get(topic_id, {}).items()
        if not any(re.search(pattern, entry.answer, re.IGNORECASE) for pattern in patterns)
    ]
    assert not missing, f"{topic_id} answer does not state: {missing}\n{entry.answer}"


@pytest.mark.parametrize("entry_id", [e.id for e in KB.entries.values() if e.pay])
def test_pay_answers_say_when_advertised_and_point_to_the_advert(entry_id):
    pay = KB.get(entry_id).pay
    for text in filter(None, (pay.answer, pay.london)):
        assert YEAR.search(text), text
        assert "advert" in text.lower(), text


def test_pay_blocks_exist_where_the_facts_give_pay():
    for entry_id in (
        "salary",
        "crown-prosecutor",
        "senior-crown-prosecutor",
        "crown-advocate",
        "associate-prosecutor",
        "legal-trainee-scheme",
        "paralegal-officer",
    ):
        assert KB.get(entry_id).pay is not None, entry_id
    assert KB.get("salary").pay.london
    assert KB.get("legal-trainee-scheme").apply is not None


def test_kinds_group_roles_schemes_networks_and_benefits():
    expected = {
        "role": {"crown-prosecutor", "senior-crown-prosecutor", "crown-advocate",
                 "associate-prosecutor", "paralegal-officer"},
        "scheme": {"legal-trainee-scheme", "pupillage", "training-contract",
                   "solicitor-apprenticeship", "go-prosecute", "apprenticeships",
                   "work-experience"},
        "benefit": {"pension", "annual-leave", "flexible-working", "wellbeing",
                    "learning-and-development"},
        "network": {"staff-networks", *(t for t in TOPICS if t.startswith("network-"))},
    }  # fmt: skip
    for kind, ids in expected.items():
        wrong = sorted(i for i in ids if KB.get(i).kind != kind)
        assert not wrong, f"should have kind {kind}: {wrong}"


def test_the_assistant_says_it_is_automated():
    greeting = KB.conversation["greeting"].answer.lower()
    assert "automated" in greeting and "personal details" in greeting
    identity = KB.conversation["bot-identity"].answer.lower()
    assert "automated" in identity and "not a person" in identity
    handoff = KB.conversation["human-handoff"]
    assert handoff.source and "civil service jobs" in handoff.answer.lower()


def test_the_human_contact_route_links_to_the_cps_contact_page():
    handoff = KB.conversation["human-handoff"]
    assert handoff.source.startswith("https://www.cps.gov.uk/contact")
    assert handoff.source in handoff.answer  # the widget turns it into a link


def test_the_assistant_does_not_claim_only_official_sources():
    identity = KB.conversation["bot-identity"].answer.lower()
    assert "adverts" in identity and "press" in identity


def test_at_least_three_quarters_of_main_sources_are_official():
    official, total = official_share(entry.source for entry in KB.entries.values())
    assert official / total >= MIN_OFFICIAL_SHARE, [
        entry.id for entry in KB.entries.values() if not is_official(entry.source)
    ]


def test_a_third_party_source_is_named_in_the_answer():
    # Where only the press or a job board says it, the visitor is told so.
    publications = {
        "www.newlawjournal.co.uk": "New Law Journal",
        "www.counselmagazine.co.uk": "Counsel magazine",
    }
    for entry in KB.entries.values():
        name = publications.get(entry.source.split("/")[2])
        if name:
            assert name in entry.answer, entry.id


def test_figures_from_the_cps_pay_data_agree_across_answers():
    salary, advocate = KB.get("salary"), KB.get("crown-advocate")
    assert "£23,600" in salary.detail  # the lowest starting salary in the pay data
    for figure in ("£57,850", "£65,150"):  # crown advocate levels 2 and 3
        assert figure in salary.detail and figure in advocate.pay.answer
    assert "£42,320" in KB.get("crown-prosecutor").pay.answer


def test_the_solicitor_apprenticeship_includes_a_degree():
    answer = KB.get("solicitor-apprenticeship").answer
    assert "without going to university full-time first" in answer
    assert "law degree by distance learning" in answer
    assert not re.search(r"without (?:a |any )?(?:university )?degree", answer)


def test_the_cps_definitions_of_diversity_and_equality():
    answer = KB.get("inclusion-diversity-equality").answer
    for words in ("each individual is different", "better outcomes", "experiences and needs",
                  "protected characteristics", "historic disadvantage"):
        assert words in answer, words


def test_report_a_crime_says_999_first():
    answer = KB.get("report-a-crime").answer
    assert answer.index("999") < answer.index("101")


def test_places_include_london():
    assert "London" in KB.places

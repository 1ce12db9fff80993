"""The pathway finder's routes: which questions, which routes, what was understood."""

from __future__ import annotations

import copy

import pytest
import yaml

from bot.actions.pathway_routes import (
    ELIGIBILITY,
    next_question,
    profile,
    recommend,
    recommendation_text,
    required_questions,
    source_name,
    summary,
    summary_line,
    years_in_words,
)
from bot.knowledge import KNOWLEDGE_FILE, KnowledgeError, load_knowledge
from bot.knowledge.schema import PATHWAY_PROFILES

KB = load_knowledge()
PATHWAY = KB.pathway

# ---------------------------------------------------------------- which questions


@pytest.mark.parametrize(
    ("answers", "questions"),
    [
        ({}, ["stage"]),
        ({"stage": "unknown"}, ["stage"]),
        ({"stage": "school"}, ["stage", "right_to_work"]),
        ({"stage": "returner"}, ["stage", "right_to_work"]),
        ({"stage": "vocational"}, ["stage", "course", "right_to_work"]),
        ({"stage": "paralegal"}, ["stage", "at_cps", "right_to_work"]),
        ({"stage": "qualified"}, ["stage", "profession", "right_to_work"]),
        ({"stage": "qualified", "profession": "cilex"}, ["stage", "profession", "right_to_work"]),
        (
            {"stage": "qualified", "profession": "solicitor"},
            ["stage", "profession", "experience", "right_to_work"],
        ),
        (
            {"stage": "qualified", "profession": "solicitor", "experience": "under-2"},
            ["stage", "profession", "experience", "advocacy", "right_to_work"],
        ),
        (
            {"stage": "qualified", "profession": "barrister", "experience": "under-2"},
            ["stage", "profession", "experience", "right_to_work"],
        ),
        (
            {"stage": "qualified", "profession": "barrister", "experience": "2-plus"},
            ["stage", "profession", "experience", "advocacy", "right_to_work"],
        ),
    ],
)
def test_only_the_questions_a_stage_needs_are_asked(answers, questions):
    assert required_questions(answers) == questions


def test_the_next_question_is_the_first_one_unanswered():
    assert next_question({}) == "stage"
    assert next_question({"stage": "qualified", "profession": "solicitor"}) == "experience"
    assert next_question({"stage": "school", "right_to_work": "yes"}) is None
    # Gone on without an answer: not asked again, and the routes are chosen without it.
    assert next_question({"stage": "unknown"}) is None
    assert next_question({"stage": "paralegal", "at_cps": "unknown"}) == "right_to_work"


# ---------------------------------------------------------------- which routes

STARTING_POINTS = [
    ({"stage": "school"}, ["solicitor-apprenticeship", "apprenticeships", "work-experience"]),
    ({"stage": "university-law"}, ["legal-trainee-scheme", "work-experience"]),
    (
        {"stage": "university-other"},
        ["legal-trainee-scheme", "paralegal-officer", "work-experience"],
    ),
    ({"stage": "law-graduate"}, ["legal-trainee-scheme", "paralegal-officer"]),
    ({"stage": "vocational", "course": "solicitor"}, ["legal-trainee-scheme", "training-contract"]),
    ({"stage": "vocational", "course": "barrister"}, ["legal-trainee-scheme", "pupillage"]),
    (
        {"stage": "vocational", "course": "not-sure"},
        ["legal-trainee-scheme", "training-contract", "pupillage"],
    ),
    (
        {
            "stage": "qualified",
            "profession": "solicitor",
            "experience": "under-2",
            "advocacy": "no",
        },
        ["crown-prosecutor", "qualified-lawyer-entry"],
    ),
    (
        {
            "stage": "qualified",
            "profession": "solicitor",
            "experience": "under-2",
            "advocacy": "yes",
        },
        ["crown-prosecutor", "crown-advocate"],
    ),
    (
        {"stage": "qualified", "profession": "solicitor", "experience": "2-plus", "advocacy": "no"},
        ["senior-crown-prosecutor", "qualified-lawyer-entry"],
    ),
    (
        {
            "stage": "qualified",
            "profession": "barrister",
            "experience": "2-plus",
            "advocacy": "yes",
        },
        ["crown-advocate", "senior-crown-prosecutor"],
    ),
    (
        {"stage": "qualified", "profession": "barrister", "experience": "under-2"},
        ["go-prosecute", "crown-prosecutor"],
    ),
    (
        {"stage": "qualified", "profession": "cilex"},
        ["crown-prosecutor", "associate-prosecutor"],
    ),
    (
        {"stage": "qualified", "profession": "solicitor", "experience": "unknown"},
        ["crown-prosecutor", "qualified-lawyer-entry"],
    ),
    (
        {"stage": "qualified", "profession": "unknown", "experience": "2-plus"},
        ["senior-crown-prosecutor", "qualified-lawyer-entry"],
    ),
    ({"stage": "paralegal", "at_cps": "unknown"}, ["paralegal-officer", "associate-prosecutor"]),
    (
        {"stage": "paralegal", "at_cps": "yes"},
        ["associate-prosecutor", "solicitor-apprenticeship"],
    ),
    (
        {"stage": "paralegal", "at_cps": "no"},
        ["paralegal-officer", "associate-prosecutor", "solicitor-apprenticeship"],
    ),
    ({"stage": "cps-staff"}, ["solicitor-apprenticeship", "associate-prosecutor"]),
    ({"stage": "returner"}, ["go-prosecute", "qualified-lawyer-entry"]),
    (
        {"stage": "unknown"},
        ["prosecutor-pathways", "legal-trainee-scheme", "solicitor-apprenticeship"],
    ),
]


@pytest.mark.parametrize(("answers", "routes"), STARTING_POINTS)
def test_each_starting_point_gets_the_routes_a_recruiter_would_give(answers, routes):
    recommendation = recommend(KB, {**answers, "right_to_work": "yes"})
    assert recommendation.route_ids[: len(routes)] == routes
    assert recommendation.right_to_work_note is None and not recommendation.check_eligibility


def test_every_profile_is_reachable():
    reached = {profile(answers) for answers, _ in STARTING_POINTS}
    assert reached == set(PATHWAY_PROFILES)


def test_no_right_to_work_puts_the_nationality_rules_first():
    recommendation = recommend(KB, {"stage": "school", "right_to_work": "no"})
    assert recommendation.route_ids == [
        ELIGIBILITY,
        "solicitor-apprenticeship",
        "apprenticeships",
    ]
    assert "nationality rules" in recommendation.right_to_work_note
    text = recommendation_text(KB, recommendation)
    assert KB.entries[ELIGIBILITY].source in text


def test_unsure_right_to_work_adds_a_note_and_keeps_the_routes():
    recommendation = recommend(KB, {"stage": "returner", "right_to_work": "not-sure"})
    assert recommendation.route_ids == ["go-prosecute", "qualified-lawyer-entry"]
    assert recommendation.check_eligibility
    assert "nationality rules" in recommendation.right_to_work_note


def test_the_text_gives_each_route_a_reason_and_a_named_source_and_says_the_advert_decides():
    recommendation = recommend(KB, {"stage": "university-law", "right_to_work": "yes"})
    text = recommendation_text(KB, recommendation)
    lines = text.split("\n\n")[1].split("\n")
    assert len(lines) == len(recommendation.routes)  # one route a line, numbered
    for number, (line, route) in enumerate(zip(lines, recommendation.routes, strict=True), 1):
        assert line.startswith(f"{number}. {KB.entries[route.id].title}: {route.reason}")
        # The link is named after its site and the route, never shown as a bare address.
        named = f"{source_name(PATHWAY, route.source)}: {KB.entries[route.id].title}"
        assert line.endswith(f"Source: [{named}]({route.source})")
    assert PATHWAY.disclaimer in text
    assert "not a decision about your eligibility" in text
    assert "advert" in PATHWAY.disclaimer


def test_a_route_can_rest_on_another_source_than_its_entry():
    recommendation = recommend(KB, {"stage": "qualified", "profession": "cilex"})
    first = recommendation.routes[0]
    assert first.id == "crown-prosecutor"
    assert first.source != KB.entries["crown-prosecutor"].source
    assert first.source in recommendation_text(KB, recommendation)


def test_sources_are_named_by_their_site():
    assert source_name(PATHWAY, "https://www.cps.gov.uk/node/1") == "CPS website"
    assert source_name(PATHWAY, "https://www.example.org/page") == "example.org"


def test_the_rough_guide_of_two_years_is_said_where_it_was_used():
    experienced = recommend(
        KB, {"stage": "qualified", "profession": "solicitor", "experience": "2-plus"}
    )
    assert "no fixed number of years" in experienced.note
    assert recommend(KB, {"stage": "school"}).note is None


@pytest.mark.parametrize(
    "reason",
    [r.reason for p in PATHWAY.profiles.values() for r in p.routes],
)
def test_no_reason_promises_what_the_sources_do_not(reason):
    lowered = reason.lower()
    assert "everyone" not in lowered and "guarantee" not in lowered
    assert "without a degree" not in lowered and "without a university degree" not in lowered
    if "permanent" in lowered and "offered" in lowered:
        assert "successfully complete" in lowered


# ---------------------------------------------------------------- what was understood


@pytest.mark.parametrize(
    ("answers", "years", "said"),
    [
        (
            {"stage": "qualified", "profession": "solicitor", "experience": "2-plus"},
            4,
            "a solicitor with about four years of criminal practice",
        ),
        (
            {"stage": "qualified", "profession": "barrister", "experience": "under-2"},
            None,
            "a barrister, new to criminal practice",
        ),
        (
            {
                "stage": "qualified",
                "profession": "solicitor",
                "experience": "2-plus",
                "advocacy": "yes",
            },
            12,
            "a solicitor with about twelve years of criminal practice, interested in court "
            "advocacy",
        ),
        ({"stage": "qualified"}, None, "a qualified lawyer"),
        ({"stage": "paralegal", "at_cps": "yes"}, None, "a paralegal at the CPS"),
        ({"stage": "paralegal", "at_cps": "no"}, None, "a paralegal outside the CPS"),
        (
            {"stage": "vocational", "course": "solicitor"},
            None,
            "taking, or have passed, the LPC or SQE (the solicitor route)",
        ),
        ({"stage": "school", "right_to_work": "no"}, None, "at school or college"),
        ({"stage": "unknown"}, None, None),
        ({}, None, None),
    ],
)
def test_what_was_understood_is_said_in_one_line(answers, years, said):
    assert summary(PATHWAY, answers, years) == said
    line = summary_line(PATHWAY, answers, years)
    assert line == (PATHWAY.understood.format(summary=said) if said else None)


def test_answers_the_stage_does_not_need_are_not_said():
    answers = {"stage": "school", "profession": "barrister", "at_cps": "yes"}
    assert summary(PATHWAY, answers) == "at school or college"


@pytest.mark.parametrize(
    ("years", "words"),
    [
        (4, "four years"),
        (1, "one year"),
        (0.5, "six months"),
        (1.5, "one and a half years"),
        (25, "25 years"),
        (2.01, "two years"),
    ],
)
def test_years_in_words(years, words):
    assert years_in_words(years) == words


# ---------------------------------------------------------------- the knowledge file's section


def _raw() -> dict:
    return yaml.safe_load(KNOWLEDGE_FILE.read_text(encoding="utf-8"))


def _load_error(tmp_path, raw: dict) -> str:
    path = tmp_path / "careers.yml"
    path.write_text(yaml.safe_dump(raw, sort_keys=False, allow_unicode=True), encoding="utf-8")
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(path, reload=True)
    return str(caught.value)


def _break(mutate):
    raw = copy.deepcopy(_raw())
    mutate(raw["pathway"])
    return raw


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (
            lambda p: p["profiles"]["school"]["routes"][0].update(route="no-such-entry"),
            "no entry with the id 'no-such-entry'",
        ),
        (lambda p: p["profiles"].pop("returner"), "profiles missing: ['returner']"),
        (
            lambda p: p["questions"]["right_to_work"]["choices"][0].update(phrases=[True]),
            'write yes, no, on and off in quotes, like "yes"',
        ),
        (
            lambda p: p["questions"]["advocacy"]["choices"][0]["phrases"].append("maybe"),
            "the phrase 'maybe' belongs to both",
        ),
        (
            lambda p: p["questions"]["course"]["choices"][0].pop("understood"),
            "question `course`: choices solicitor need `understood`",
        ),
        (lambda p: p.update(understood="You are."), "must contain {summary}"),
        (lambda p: p.update(route="{number}. {title}"), "must contain {reason}, {source}"),
        (
            lambda p: p["questions"]["stage"]["choices"][0].update(value="pupil"),
            "question `stage` must have the choices",
        ),
        (lambda p: p["offer"].update(entries=["nowhere"]), "no entry with the id 'nowhere'"),
    ],
)
def test_the_pathway_section_rejects_editing_mistakes(tmp_path, mutate, expected):
    assert expected in _load_error(tmp_path, _break(mutate))

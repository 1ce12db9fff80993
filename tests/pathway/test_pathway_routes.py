"""The pathway finder's pure logic: reading answers, which questions, which routes."""

from __future__ import annotations

import copy

import pytest
import yaml

from bot.actions.pathway_routes import (
    ELIGIBILITY,
    QUESTIONS,
    extras_from_stage,
    profile,
    recommend,
    recommendation_text,
    required_questions,
    same_word,
    understand,
    years_of_practice,
)
from bot.knowledge import KNOWLEDGE_FILE, KnowledgeError, load_knowledge
from bot.knowledge.schema import PATHWAY_PROFILES

KB = load_knowledge()
PATHWAY = KB.pathway

# ---------------------------------------------------------------- understanding answers

FREE_TEXT = {
    "stage": [
        ("I'm at sixth form", "school"),
        ("year 12", "school"),
        ("im at collage", "school"),
        ("doing my A levels", "school"),
        ("I study law at uni", "university-law"),
        ("2nd year law student", "university-law"),
        ("I'm studying history at university", "university-other"),
        ("graduated in english", "university-other"),
        ("I have a law degree", "law-graduate"),
        ("doing the GDL", "law-graduate"),
        ("on a pgdl conversion course", "law-graduate"),
        ("i'm doing the sqe", "vocational"),
        ("passed the LPC last year", "vocational"),
        ("Im a trainee solicitor", "vocational"),
        ("I'm a pupil barrister", "vocational"),
        ("I'm a student doing the SQE", "vocational"),
        ("I'm a qualified solicitor", "qualified"),
        ("I'm a barister", "qualified"),
        ("2 yrs criminal practice", "qualified"),
        ("I'm a chartered legal executive", "qualified"),
        ("I'm a solicitor at the CPS", "qualified"),
        ("I'm a paralegal at the cps", "paralegal"),
        ("I work at the CPS as a paralegal", "paralegal"),
        ("parallegal at a law firm", "paralegal"),
        ("I work at the CPS as an admin officer", "cps-staff"),
        ("I work for the cps", "cps-staff"),
        ("I'm a solicitor returning after a career break", "returner"),
        ("non-practising barrister", "returner"),
        ("I'm in year 13 and want to be a lawyer", "school"),
    ],
    "course": [
        ("sqe", "solicitor"),
        ("the LPC", "solicitor"),
        ("the bar", "barrister"),
        ("BPTC", "barrister"),
        ("both really", "not-sure"),
        ("havent decided", "not-sure"),
    ],
    "profession": [
        ("solicitor", "solicitor"),
        ("solictor", "solicitor"),
        ("I was called to the bar in 2020", "barrister"),
        ("barister", "barrister"),
        ("CILEx fellow", "cilex"),
        ("legal exec", "cilex"),
    ],
    "experience": [
        ("2 yrs criminal practice", "2-plus"),
        ("5", "2-plus"),
        ("six years", "2-plus"),
        ("10+ years", "2-plus"),
        ("a decade", "2-plus"),
        ("a couple of years", "2-plus"),
        ("lots", "2-plus"),
        ("none", "under-2"),
        ("1 year", "under-2"),
        ("6 months", "under-2"),
        ("less than 2 years", "under-2"),
        ("newly qualified", "under-2"),
        ("1.5 yeras", "under-2"),
    ],
    "advocacy": [
        ("yes", "yes"),
        ("yeah definitely", "yes"),
        ("I love being in court", "yes"),
        ("no", "no"),
        ("not really", "no"),
        ("I am not", "no"),
        ("I'd rather do casework", "no"),
        ("maybe", "not-sure"),
        ("dunno", "not-sure"),
    ],
    "at_cps": [
        ("yes", "yes"),
        ("yep, CPS paralegal", "yes"),
        ("no", "no"),
        ("at a law firm", "no"),
        ("not at the cps", "no"),
    ],
    "right_to_work": [
        ("yes", "yes"),
        ("Yes I do", "yes"),
        ("I'm British", "yes"),
        ("I have settled status", "yes"),
        ("no", "no"),
        ("no i don't", "no"),
        ("i would need a visa", "no"),
        ("not sure", "not-sure"),
        ("I'm not sure", "not-sure"),
        ("I have a student visa", "not-sure"),
        ("idk", "not-sure"),
    ],
}
NONSENSE = ["banana", "blah blah", "zxqv blorp", "what does it pay?", "purple", "12:30pm"]


@pytest.mark.parametrize(
    ("question", "text", "expected"),
    [(q, text, value) for q, cases in FREE_TEXT.items() for text, value in cases],
)
def test_free_text_answers_are_understood(question, text, expected):
    assert understand(PATHWAY, question, text) == expected


@pytest.mark.parametrize("question", QUESTIONS)
@pytest.mark.parametrize("text", NONSENSE)
def test_nonsense_is_not_an_answer(question, text):
    assert understand(PATHWAY, question, text) is None


@pytest.mark.parametrize(
    ("question", "title", "value"),
    [(q, c.title, c.value) for q, spec in PATHWAY.questions.items() for c in spec.choices],
)
def test_every_button_title_means_its_own_choice(question, title, value):
    # Buttons send their title as text, so each must read back as its own choice.
    assert understand(PATHWAY, question, title) == value


def test_wanting_to_be_something_is_not_being_it():
    assert understand(PATHWAY, "stage", "I want to become a barrister") is None
    assert understand(PATHWAY, "stage", "hoping to qualify as a solicitor") is None


def test_typos_of_long_words_are_tolerated_and_short_words_are_exact():
    assert same_word("barister", "barrister")
    assert same_word("solicter", "solicitor")
    assert same_word("colege", "college")
    assert not same_word("bar", "bat")
    assert not same_word("year12", "year13")


@pytest.mark.parametrize(
    ("text", "years"),
    [("2 yrs", 2), ("ten years", 10), ("6 months", 0.5), ("a decade", 10), ("3", None)],
)
def test_years_of_practice(text, years):
    found = years_of_practice(text)
    assert found == pytest.approx(years) if years is not None else found is None
    assert years_of_practice("3", bare_number=True) == 3


@pytest.mark.parametrize(
    ("text", "stage", "extras"),
    [
        ("I'm doing the SQE", "vocational", {"course": "solicitor"}),
        ("I'm a pupil barrister", "vocational", {"course": "barrister"}),
        (
            "newly qualified barrister",
            "qualified",
            {"profession": "barrister", "experience": "under-2"},
        ),
        (
            "solicitor with 6 years criminal practice",
            "qualified",
            {"profession": "solicitor", "experience": "2-plus"},
        ),
        ("I'm a paralegal at the cps", "paralegal", {"at_cps": "yes"}),
        ("Working as a paralegal", "paralegal", {}),
        # The stage button names three professions: none of them is an answer.
        ("Qualified solicitor, barrister or chartered legal executive", "qualified", {}),
        ("Taking or passed the LPC, SQE or Bar course", "vocational", {}),
    ],
)
def test_answers_given_early_are_kept(text, stage, extras):
    assert understand(PATHWAY, "stage", text) == stage
    assert extras_from_stage(PATHWAY, stage, text) == extras


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
        ["associate-prosecutor", "crown-prosecutor"],
    ),
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
    assert recommendation.route_ids == routes
    assert recommendation.note is None and not recommendation.check_eligibility


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
    assert "nationality rules" in recommendation.note
    text = recommendation_text(KB, recommendation)
    assert KB.entries[ELIGIBILITY].source in text


def test_unsure_right_to_work_adds_a_note_and_keeps_the_routes():
    recommendation = recommend(KB, {"stage": "returner", "right_to_work": "not-sure"})
    assert recommendation.route_ids == ["go-prosecute", "qualified-lawyer-entry"]
    assert recommendation.check_eligibility
    assert "nationality rules" in recommendation.note


def test_the_text_gives_each_route_a_reason_and_source_and_says_the_advert_decides():
    recommendation = recommend(KB, {"stage": "university-law", "right_to_work": "yes"})
    text = recommendation_text(KB, recommendation)
    for route, reason in recommendation.routes:
        assert KB.entries[route].title in text
        assert reason in text
        assert KB.entries[route].source in text
    assert PATHWAY.disclaimer in text
    assert "not a decision about your eligibility" in text
    assert "advert" in PATHWAY.disclaimer


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
        (lambda p: p["questions"]["course"].pop("default"), "question `course` needs a `default`"),
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

"""The knowledge file's `safety` signposting and `elsewhere` pointers: checked like entries."""

from __future__ import annotations

import copy

import pytest
from test_knowledge_loader import load_error, valid_data, write

from bot.knowledge import load_knowledge
from bot.knowledge.schema import SAFETY_CUES

KB = load_knowledge()


def note(text: str) -> dict:
    return {"answer": text, "source": "https://www.police.uk/"}


def with_sections() -> dict:
    data = valid_data()
    data["safety"] = {
        "emergency": note("In danger now? Call 999."),
        "support": note("Victim Support can help."),
        "review": note("Ask for a review."),
        "distress": note("Call Samaritans."),
        "cues": {situation: [f"{situation} cue"] for situation in SAFETY_CUES},
        "personal_cues": {"crime": ["mugged"]},
    }
    data["elsewhere"] = [
        {
            "id": "judges",
            "title": "Becoming a judge",
            "answer": "Judges are selected by the Judicial Appointments Commission.",
            "source": "https://judicialappointments.gov.uk/",
            "phrases": ["become a judge"],
        }
    ]
    return data


def test_a_file_with_safety_and_elsewhere_sections_loads(tmp_path):
    kb = load_knowledge(write(tmp_path, with_sections()), reload=True)
    assert kb.safety.emergency.answer == "In danger now? Call 999."
    assert kb.safety.personal_cues == {"crime": ["mugged"]}
    assert [pointer.id for pointer in kb.elsewhere] == ["judges"]


BAD = {
    "a situation missing": (
        lambda d: d["safety"]["cues"].pop("decision"),
        "must have exactly the situations",
    ),
    "an unknown personal situation": (
        lambda d: d["safety"]["personal_cues"].update({"weather": ["rain"]}),
        "unknown situations weather",
    ),
    "a cue in capitals": (
        lambda d: d["safety"]["cues"]["danger"].append("In Danger"),
        "lower case",
    ),
    "a signposting note without https": (
        lambda d: d["safety"]["support"].update({"source": "http://x.org"}),
        "https://",
    ),
    "a pointer phrase that is an entry phrase": (
        lambda d: d["elsewhere"][0]["phrases"].append("alpha one"),
        "'alpha one' is also a phrase of entry 'alpha'",
    ),
    "two pointers with one id": (
        lambda d: d["elsewhere"].append(copy.deepcopy(d["elsewhere"][0]) | {"phrases": ["x y"]}),
        "the id 'judges' is used by 2 pointers",
    ),
    "a pointer phrase that is a place": (
        lambda d: d["elsewhere"][0]["phrases"].append("leeds"),
        "'leeds' is also in `places`",
    ),
}


@pytest.mark.parametrize("name", list(BAD))
def test_each_mistake_is_reported(tmp_path, name):
    mutate, expected = BAD[name]
    data = with_sections()
    mutate(data)
    assert expected in load_error(tmp_path, data)


def test_the_real_safety_signposting_gives_999_101_and_victim_support():
    safety = KB.safety
    assert "999" in safety.emergency.answer and "101" in safety.emergency.answer
    assert "Victim Support" in safety.support.answer
    assert "Victims' Right to Review" in safety.review.answer
    assert "Samaritans" in safety.distress.answer


def test_every_pointer_names_an_official_page_and_is_not_a_cps_topic():
    assert len(KB.elsewhere) >= 8
    for pointer in KB.elsewhere:
        assert pointer.source.startswith("https://"), pointer.id
        assert pointer.id not in KB.entries

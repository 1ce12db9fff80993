"""Welsh beside the English: the format, its rules, the reading API and the review reports.

The real knowledge file must give every visitor text in Welsh. The rules and reports are
checked on the small valid file of test_knowledge_loader with Welsh added to it: each
bad variant breaks one thing and the error must name the entry and field to fix.
"""

from __future__ import annotations

import copy

import pytest
import yaml
from test_knowledge_loader import _set, load_error, valid_data, write

from bot.knowledge import KNOWLEDGE_FILE, load_knowledge
from bot.knowledge.__main__ import main
from bot.knowledge.sources import promises
from bot.knowledge.translations import blocks_of, drafts, missing_welsh, outdated
from bot.knowledge.welsh import Said, Source, fingerprint, month_and_year_cy

KB = load_knowledge(KNOWLEDGE_FILE, reload=True)
WELSH_PAGE = "https://www.cps.gov.uk/cy/example"


def cy(english: dict[str, str], status: str = "draft", **texts: object) -> dict:
    return {"status": status, "english": fingerprint(english), **texts}


def welsh_data() -> dict:
    """The small valid file with Welsh for every visitor text."""
    data = valid_data()
    alpha, beta, gamma = data["entries"]
    alpha["cy"] = cy(
        {
            "title": alpha["title"],
            "answer": alpha["answer"],
            "pay.answer": alpha["pay"]["answer"],
            "pay.london": alpha["pay"]["london"],
            "apply.answer": alpha["apply"]["answer"],
        },
        title="Alffa",
        answer="Ateb byr.",
        source=WELSH_PAGE,
        phrases=["alffa un", "alffa dau"],
        pay={
            "answer": "Yn hysbyseb mis Ionawr 2025 roedd yn talu £1. Darllenwch yr hysbyseb fyw.",
            "london": "Yn hysbyseb mis Ionawr 2025 roedd Llundain yn talu £2. Gweler yr hysbyseb.",
        },
        apply={"answer": "Gwnewch gais ar Swyddi'r Gwasanaeth Sifil."},
    )
    for entry, name in ((beta, "Beta"), (gamma, "Gama")):
        entry["cy"] = cy(
            {"title": entry["title"], "answer": entry["answer"]},
            title=name,
            answer="Ateb byr.",
            phrases=[f"{name.lower()} un"],
        )
    for key, reply in data["conversation"].items():
        reply["cy"] = cy({"answer": reply["answer"]}, answer=f"Yr ateb {key}.")
    for key, label in data["labels"].items():
        label["cy"] = cy({"wording": label["wording"]}, wording=f"Label {key}")
    data["places_cy"] = {"London": ["Llundain", "Lundain"]}
    return data


def test_the_small_file_with_welsh_is_valid_and_complete(tmp_path):
    kb = load_knowledge(write(tmp_path, welsh_data()), reload=True)
    assert missing_welsh(kb) == []
    assert outdated(kb) == []
    assert "entry 'alpha'" in drafts(kb)


# ---------------------------------------------------------------- the real file
def test_every_visitor_text_in_the_knowledge_file_has_welsh():
    missing = missing_welsh(KB)
    assert not missing, (
        "These texts have no Welsh, so a Welsh visitor would read them in English. Add the "
        "Welsh in a `cy:` block beside the English (bot/knowledge/careers.yml explains it):\n"
        + "\n".join(missing)
    )


def test_no_welsh_text_is_the_english_copied():
    copied = [
        f"{block.where}, `cy.{field}`"
        for block in blocks_of(KB)
        for field, text in block.item.welsh_texts().items()
        if len(text.split()) > 5 and text == block.item.english_texts().get(field)
    ]
    assert not copied, "Welsh that is the English text unchanged:\n" + "\n".join(copied)


def test_the_welsh_names_the_cps_as_its_own_welsh_pages_do():
    greeting = KB.conversation_text("greeting", "cy")
    assert greeting == Said(greeting.text, "cy", False)
    assert "yng Ngwasanaeth Erlyn y Goron" in greeting.text  # mutated after "yng"
    assert KB.get("crown-prosecutor").text("title", "cy").text == "Erlynydd y Goron"
    assert KB.get("legal-trainee-scheme").text("title", "cy").text.endswith(
        "Cynllun Hyfforddeion Cyfreithiol"
    )


def test_welsh_pay_states_the_english_dates_in_welsh():
    pay = KB.get("crown-prosecutor").text("pay.london", "cy").text
    assert "Mawrth 2025" in pay and "£44,570" in pay and "hysbyseb" in pay


def test_welsh_places_name_a_place_in_the_list():
    places = KB.places_in("cy")
    assert places["Caerdydd"] == "Cardiff" and places["Nghaerdydd"] == "Cardiff"
    assert places["Yr Wyddgrug"] == "Mold" and places["Llundain"] == "London"
    assert set(places.values()) <= set(KB.places)


# ---------------------------------------------------------------- the reading API
def test_text_gives_the_welsh_or_the_english_flagged(tmp_path):
    kb = load_knowledge(write(tmp_path, welsh_data()), reload=True)
    alpha = kb.get("alpha")
    assert alpha.text("answer", "cy") == Said("Ateb byr.", "cy", False)
    assert alpha.text("answer", "en") == Said("A short answer.", "en", False)
    assert alpha.text("pay.london", "cy").text.startswith("Yn hysbyseb mis Ionawr 2025")
    assert alpha.text("detail", "cy") is None  # the English has no detail either
    assert kb.conversation_text("thanks", "cy") == Said("Yr ateb thanks.", "cy", False)
    assert kb.label("tell-me-more", "cy").text == "Label tell-me-more"


def test_without_welsh_the_english_is_given_and_flagged(tmp_path):
    data = welsh_data()
    del data["conversation"]["goodbye"]["cy"]
    del data["entries"][0]["cy"]["pay"]["london"]
    kb = load_knowledge(write(tmp_path, data), reload=True)
    assert kb.conversation_text("goodbye", "cy") == Said("The goodbye reply.", "en", True)
    london = kb.get("alpha").text("pay.london", "cy")
    assert london.lang == "en" and london.fallback and "London paid £2" in london.text


def test_source_in_gives_the_welsh_page_or_says_the_page_is_english(tmp_path):
    kb = load_knowledge(write(tmp_path, welsh_data()), reload=True)
    alpha, beta = kb.get("alpha"), kb.get("beta")
    assert alpha.source_in("cy") == Source(WELSH_PAGE, False)
    assert alpha.source_in("en") == Source("https://www.cps.gov.uk/example", False)
    assert beta.source_in("cy") == Source("https://www.cps.gov.uk/example", True)
    assert alpha.source_in("cy", "pay") == Source("https://www.cps.gov.uk/pay", True)
    assert kb.conversation["greeting"].source_in("cy") is None  # the reply has no source


def test_words_are_the_welsh_visitors_own(tmp_path):
    kb = load_knowledge(write(tmp_path, welsh_data()), reload=True)
    assert kb.get("alpha").words("phrases", "cy") == ["alffa un", "alffa dau"]
    assert kb.get("alpha").words("phrases", "en")[0] == "alpha one"
    assert kb.places_in("cy") == {"Llundain": "London", "Lundain": "London"}
    assert kb.places_in("en")["Leeds"] == "Leeds"


def test_an_unknown_language_is_refused():
    with pytest.raises(ValueError, match="unknown language 'fr'"):
        KB.get("salary").text("answer", "fr")


# ---------------------------------------------------------------- the rules
LONG_CY = " ".join(["gair"] * 91)
WELSH_MISTAKES = {
    "answer over 90 words": (
        _set("entries.1.cy.answer", LONG_CY),
        ["entry 'beta'", "`cy.answer`", "91 words"],
    ),
    "pay without its Welsh month": (
        _set("entries.0.cy.pay.answer", "Yn 2025 roedd yn talu £1. Darllenwch yr hysbyseb."),
        ["entry 'alpha'", "`cy.pay.answer`", "'Ionawr 2025'"],
    ),
    "pay with the English month": (
        _set("entries.0.cy.pay.answer", "Ym mis January 2025: £1. Gweler yr hysbyseb."),
        ["`cy.pay.answer`", "'Ionawr 2025'"],
    ),
    "pay without the advert": (
        _set("entries.0.cy.pay.london", "Ym mis Ionawr 2025 roedd Llundain yn talu £2."),
        ["entry 'alpha'", "`cy.pay.london`", "'hysbyseb'"],
    ),
    "a figure missing": (
        _set("entries.0.cy.pay.answer", "Ym mis Ionawr 2025 roedd yn talu. Gweler yr hysbyseb."),
        ["entry 'alpha'", "`cy.pay.answer`", "figures", "missing 1"],
    ),
    "a figure changed": (
        _set("entries.0.cy.pay.london", "Ym mis Ionawr 2025: £3 yn Llundain. Gweler hysbyseb."),
        ["`cy.pay.london`", "missing 2", "not in the English: 3"],
    ),
    "a promise": (
        _set("entries.1.cy.answer", "Mae cyfweliad wedi'i warantu i chi."),
        ["entry 'beta'", "`cy.answer`", "'warantu'", "`cy.quoted`"],
    ),
    "a promise in a reply": (
        _set("conversation.goodbye.cy.answer", "Mae pob ymgeisydd yn cael swydd."),
        ["conversation reply 'goodbye'", "'pob ymgeisydd'"],
    ),
    "an EDITOR note": (
        _set("entries.2.cy.answer", "EDITOR: cyfieithwch hwn."),
        ["entry 'gamma'", "EDITOR note"],
    ),
    "Welsh with no English to translate": (
        _set("entries.1.cy.detail", "Rhagor o fanylion."),
        ["entry 'beta'", "`cy.detail`", "no English `detail`"],
    ),
    "an unknown status": (
        _set("entries.1.cy.status", "checked"),
        ["entry 'beta'", "`cy.status`"],
    ),
    "a fingerprint YAML read as a number": (
        _set("entries.1.cy.english", 12345678),
        ["entry 'beta'", "`cy.english`", "in quotes"],
    ),
    "a misspelt Welsh field": (
        _set("entries.1.cy.atteb", "Ateb."),
        ["entry 'beta'", "`cy.atteb`", "not a known field"],
    ),
    "a Welsh phrase of another entry": (
        _set("entries.1.cy.phrases", ["alffa un"]),
        ["entry 'beta'", "`cy.phrases`", "'alffa un' is also a phrase of entry 'alpha'"],
    ),
    "a Welsh phrase that is another entry's English": (
        _set("entries.2.cy.phrases", ["beta two"]),
        ["entry 'gamma'", "'beta two' is also a phrase of entry 'beta'"],
    ),
    "a Welsh place for a place not listed": (
        _set("places_cy", {"Cardiff": ["Caerdydd"]}),
        ["places_cy", "'Cardiff' is not in `places`"],
    ),
    "a Welsh place that is a phrase": (
        _set("places_cy", {"London": ["alffa un"]}),
        ["places_cy, 'London'", "'alffa un' is also a phrase of entry 'alpha'"],
    ),
    "an http Welsh source": (
        _set("entries.0.cy.source", "http://www.cps.gov.uk/cy"),
        ["entry 'alpha'", "`cy.source`", "https://"],
    ),
}


@pytest.mark.parametrize("mistake", WELSH_MISTAKES, ids=list(WELSH_MISTAKES))
def test_a_welsh_mistake_is_named(mistake, tmp_path):
    mutate, expected = WELSH_MISTAKES[mistake]
    data = welsh_data()
    mutate(data)
    message = load_error(tmp_path, data)
    for part in expected:
        assert part in message, f"{part!r} not in:\n{message}"


def test_welsh_promises_and_their_honest_opposites():
    assert promises("Mae'r cyfweliad wedi'i warantu.", lang="cy") == ["warantu"]
    assert promises("Mae pawb sy'n llwyddo yn cael swydd.", lang="cy") == ["pawb sy'n"]
    assert promises("Mae'r holl swyddi ar agor.", lang="cy") == ["holl swyddi"]
    assert promises("Mae gwarant o swydd.", lang="cy") == ["gwarant"]
    # "pob hysbyseb" is "each advert"; the negatives promise nothing.
    for honest in ("Mae pob hysbyseb yn rhestru ei lleoliadau.", "Mae dim gwarant.",
                   "Mae'n lle heb ei warantu.", "ond does dim sicrwydd y cewch chi nhw."):
        assert promises(honest, lang="cy") == [], honest
    assert promises("Mae'r cyfweliad wedi'i warantu.") == []  # only Welsh texts are checked so


def test_welsh_month_names():
    assert month_and_year_cy("2025-03") == "Mawrth 2025"
    assert month_and_year_cy("2026-01") == "Ionawr 2026"
    assert month_and_year_cy("2024-07") == "Gorffennaf 2024"


# ---------------------------------------------------------------- completeness and review
def test_missing_welsh_names_the_item_and_its_fields(tmp_path):
    data = welsh_data()
    del data["conversation"]["greeting"]["cy"]
    data["entries"][1]["detail"] = "More about beta."
    del data["entries"][2]["cy"]["phrases"]
    del data["entries"][0]["cy"]["pay"]["london"]
    kb = load_knowledge(write(tmp_path, data), reload=True)
    missing = missing_welsh(kb)
    greeting = fingerprint({"answer": "The greeting reply."})
    block = f'add a `cy:` block with english: "{greeting}"'
    assert f"conversation reply 'greeting': no Welsh ({block})" in missing
    assert "entry 'beta': no Welsh for detail" in missing
    assert "entry 'gamma': no Welsh for phrases (a list)" in missing
    assert "entry 'alpha': no Welsh for pay.london" in missing
    assert len(missing) == 4


def test_an_english_change_after_a_welsh_review_is_listed(capsys, tmp_path):
    data = welsh_data()
    data["entries"][1]["cy"]["status"] = "reviewed"
    kb = load_knowledge(write(tmp_path, data), reload=True)
    assert outdated(kb) == [] and "entry 'beta'" not in drafts(kb)

    changed = copy.deepcopy(data)
    changed["entries"][1]["answer"] = "A longer, changed answer."
    changed["conversation"]["thanks"]["answer"] = "Thank you."  # its Welsh is a draft
    path = write(tmp_path, changed)
    rows = {row.where: row for row in outdated(load_knowledge(path, reload=True))}
    assert set(rows) == {"entry 'beta'", "conversation reply 'thanks'"}
    beta = rows["entry 'beta'"]
    assert beta.status == "reviewed"
    assert beta.written_for == data["entries"][1]["cy"]["english"]
    assert beta.now == fingerprint({"title": "Beta", "answer": "A longer, changed answer."})
    assert rows["conversation reply 'thanks'"].status == "draft"

    assert main(["welsh", "--file", str(path)]) == 0  # a report, not a failure
    out = capsys.readouterr().out
    assert "1 whose English changed after the Welsh was reviewed:" in out
    assert f"entry 'beta'  translates {beta.written_for}, English now \"{beta.now}\"" in out
    assert "1 whose English changed after the Welsh was written as a draft:" in out


def test_rewrapping_the_english_is_not_a_change(tmp_path):
    data = welsh_data()
    data["entries"][1]["answer"] = "A   short\nanswer."
    kb = load_knowledge(write(tmp_path, data), reload=True)
    assert outdated(kb) == []


def test_the_welsh_report_lists_gaps_and_drafts(capsys, tmp_path):
    data = welsh_data()
    del data["labels"]["tell-me-more"]["cy"]
    assert main(["welsh", "--file", str(write(tmp_path, data)), "--all"]) == 0
    out = capsys.readouterr().out
    assert "Welsh: 22 of 23 items have Welsh; 0 reviewed by a Welsh speaker."  # 3 + 18 + 2 in out
    assert "1 without Welsh" in out and "label 'tell-me-more': no Welsh" in out
    assert "  entry 'alpha'\n" in out and "  conversation reply 'greeting'\n" in out


def test_the_real_file_report_runs(capsys):
    assert main(["welsh"]) == 0
    out = capsys.readouterr().out
    assert "Welsh drafts wait for review by a Welsh speaker" in out


def test_the_pathway_welsh_follows_the_english_rules(tmp_path):
    data = yaml.safe_load(KNOWLEDGE_FILE.read_text(encoding="utf-8"))
    welsh = data["pathway"]["cy"]
    welsh["route"] = "{number}. {title}"
    welsh["stop"] = "Stopio " * 10
    data["pathway"]["profiles"]["school"]["routes"][0]["cy"]["reason"] = LONG_CY
    data["pathway"]["questions"]["stage"]["choices"][0]["cy"]["replies"] = [True]
    message = load_error(tmp_path, data)
    assert "field `cy.route`: must contain {reason}, {source}" in message
    assert "field `cy.stop`: is a button title" in message
    assert "routes.item 1.cy.reason`: has 91 words" in message
    assert 'write yes, no, on and off in quotes, like "yes"' in message


def test_pathway_texts_are_read_the_same_way():
    pathway = KB.pathway
    assert pathway.text("source_names.www.cps.gov.uk", "cy").text == "gwefan y CPS"
    assert pathway.text("right_to_work_notes.no", "cy").text.startswith("Fe ddywedoch chi")
    assert "{summary}" in pathway.text("understood", "cy").text
    stage = pathway.questions["stage"]
    school = stage.choices[0]
    assert stage.text("ask", "cy").lang == "cy"
    assert school.text("title", "cy").text == "Yn yr ysgol neu'r coleg"
    assert "chweched dosbarth" in school.words("phrases", "cy")
    not_sure = pathway.questions["advocacy"].choices[2]
    assert "dwn i ddim" in not_sure.words("replies", "cy")
    route = pathway.profiles["school"].routes[0]
    assert route.text("reason", "cy").lang == "cy"
    assert route.source_in("cy") is None  # no page of its own: the entry's source is used


def test_the_tell_me_more_button_takes_its_label_from_the_knowledge_file():
    from bot.actions.replies import MORE_PAYLOAD, entry_buttons

    buttons = entry_buttons(KB, KB.get("salary"))
    assert buttons[0] == {"title": KB.label("tell-me-more", "en").text, "payload": MORE_PAYLOAD}
    assert KB.label("tell-me-more", "en").text == "Tell me more"
    assert KB.label("source-in-english", "cy").text == "(Saesneg)"

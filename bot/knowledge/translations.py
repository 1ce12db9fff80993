"""Every text a visitor can see, with its Welsh: what is missing, in draft or out of date.

`blocks()` walks the knowledge file in file order and gives each item that has visitor
text (an entry, a conversation reply, a pathway question or choice...) with the words
an editor uses for it ("entry 'salary'"). On those blocks:

- `welsh_problems()`: mistakes that stop the file loading, like the English ones: Welsh
  for a text that has no English, figures or dates that differ from the English, a pay
  answer that does not point to the advert, a promise, a phrase that names two things;
- `missing_welsh()`: texts with no Welsh yet (the test in tests/knowledge fails on them);
- `drafts()`, `outdated()`: Welsh not reviewed yet, and Welsh whose English has changed
  since (its `english` fingerprint no longer matches); `make check-knowledge` lists them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, NamedTuple

from bot.knowledge.schema import Entry, Label, Pathway, Pointer, Reply, Safety
from bot.knowledge.sources import promises
from bot.knowledge.welsh import (
    ADVERT_CY,
    DRAFT,
    REVIEWED,
    Bilingual,
    fingerprint,
    month_and_year_cy,
    numbers,
)

# Lists of words the Welsh of these items must have, beside its texts.
NEEDS_WORDS = {Entry: ("phrases",), Pointer: ("phrases",)}


class Block(NamedTuple):
    where: str  # "entry 'salary'", "pathway question 'stage', choice 'school'"
    item: Bilingual
    words: tuple[str, ...] = ()  # word lists the Welsh must have ("phrases")


class Outdated(NamedTuple):
    where: str
    status: str  # draft or reviewed
    written_for: str  # the fingerprint the Welsh records
    now: str  # the fingerprint of the English as it is now


def blocks(
    entries: Iterable[Entry],
    conversation: dict[str, Reply],
    labels: dict[str, Label],
    safety: Safety | None,
    elsewhere: Iterable[Pointer],
    pathway: Pathway | None,
) -> Iterator[Block]:
    """Every item with text a visitor can see, in file order."""
    for entry in entries:
        yield Block(f"entry '{entry.id}'", entry, NEEDS_WORDS[Entry])
    if safety is not None:
        for name in ("emergency", "support", "review", "distress"):
            yield Block(f"safety `{name}`", getattr(safety, name))
    for pointer in elsewhere:
        yield Block(f"elsewhere pointer '{pointer.id}'", pointer, NEEDS_WORDS[Pointer])
    for key, reply in conversation.items():
        yield Block(f"conversation reply '{key}'", reply)
    for key, label in labels.items():
        yield Block(f"label '{key}'", label)
    if pathway is not None:
        yield from _pathway_blocks(pathway)


def _pathway_blocks(pathway: Pathway) -> Iterator[Block]:
    yield Block("pathway", pathway)
    yield Block("pathway `offer`", pathway.offer)
    for key, question in pathway.questions.items():
        yield Block(f"pathway question '{key}'", question)
        for choice in question.choices:
            yield Block(f"pathway question '{key}', choice '{choice.value}'", choice, ("phrases",))
    for name, profile in pathway.profiles.items():
        if profile.english_texts():
            yield Block(f"pathway profile '{name}'", profile)
        for route in profile.routes:
            yield Block(f"pathway profile '{name}', route '{route.route}'", route)


def blocks_of(kb: Any) -> Iterator[Block]:
    """The blocks of a KnowledgeBase (or of the parsed file, whose entries are a list)."""
    entries = kb.entries.values() if isinstance(kb.entries, dict) else kb.entries
    return blocks(entries, kb.conversation, kb.labels, kb.safety, kb.elsewhere, kb.pathway)


# ---------------------------------------------------------------- load-time rules
def welsh_problems(kb: Any) -> list[str]:
    """Mistakes in the Welsh that must be put right before the file is used."""
    problems = []
    for block in blocks_of(kb):
        if block.item.cy is not None:
            problems += [f"{block.where}, Welsh {problem}" for problem in _block_problems(block)]
    problems += _phrase_problems(kb)
    return problems


def _block_problems(block: Block) -> list[str]:
    item = block.item
    english, welsh = item.english_texts(), item.welsh_texts()
    problems = [
        f"`cy.{field}`: there is no English `{field}` for it to translate"
        for field in welsh
        if field not in english
    ]
    for field in english.keys() & welsh.keys():
        only_english = sorted(numbers(english[field]) - numbers(welsh[field]))
        only_welsh = sorted(numbers(welsh[field]) - numbers(english[field]))
        if only_english or only_welsh:
            problems.append(
                f"`cy.{field}`: its figures must be the English ones"
                + (f"; missing {', '.join(only_english)}" if only_english else "")
                + (f"; not in the English: {', '.join(only_welsh)}" if only_welsh else "")
            )
    quoted = getattr(item.cy, "quoted", [])
    for field, text in welsh.items():
        found = promises(text, quoted, lang="cy")
        if found:
            words = ", ".join(f"'{phrase}'" for phrase in dict.fromkeys(found))
            problems.append(
                f"`cy.{field}`: {words} promises more than a source can; say what the "
                "source says, or list the source's own words under `cy.quoted`"
            )
    if isinstance(item, Entry):
        problems += _dated_problems(item, welsh)
    return problems


def _dated_problems(entry: Entry, welsh: dict[str, str]) -> list[str]:
    """A Welsh answer states the same dated facts as the English: its month and year."""
    dated = {
        "answer": entry.advertised,
        "pay.answer": entry.pay and entry.pay.advertised,
        "pay.london": entry.pay and entry.pay.advertised,
        "apply.answer": entry.apply and entry.apply.advertised,
    }
    problems = []
    for field, advertised in dated.items():
        text = welsh.get(field)
        if text is None or advertised is None:
            continue
        when = month_and_year_cy(advertised)
        if when not in text:
            problems.append(
                f"`cy.{field}` must say when its details date from, as '{when}' "
                f"(after 'mis': 'ym mis {when}'; `advertised: {advertised}`)"
            )
        if field.startswith("pay.") and ADVERT_CY not in text.lower():
            problems.append(
                f"`cy.{field}` must tell the visitor to check the live advert "
                f"(use the word '{ADVERT_CY}')"
            )
    return problems


def _normal(phrase: str) -> str:
    return " ".join(phrase.lower().split())


def _phrase_problems(kb: Any) -> list[str]:
    """A Welsh phrase names one thing: one entry, pointer or place."""
    entries = list(kb.entries.values() if isinstance(kb.entries, dict) else kb.entries)
    owner: dict[str, str] = {}  # phrase -> "entry 'x'" (English phrases first)
    for entry in entries:
        for phrase in entry.phrases:
            owner.setdefault(_normal(phrase), f"entry '{entry.id}'")
    for place in kb.places:
        owner.setdefault(_normal(place), "`places`")
    problems = []

    def claim(phrase: str, who: str, where: str) -> None:
        key = _normal(phrase)
        if owner.setdefault(key, who) != who:
            problems.append(f"{where}: '{phrase}' is also a phrase of {owner[key]}")

    for entry in entries:
        for phrase in entry.words("phrases", "cy"):
            claim(phrase, f"entry '{entry.id}'", f"entry '{entry.id}', field `cy.phrases`")
    for english, names in kb.places_cy.items():
        if english not in kb.places:
            problems.append(f"places_cy: '{english}' is not in `places`")
        for name in names:
            claim(name, "`places`", f"places_cy, '{english}'")
    pointer_owner = dict(owner)
    for pointer in kb.elsewhere:
        for phrase in pointer.words("phrases", "cy"):
            key = _normal(phrase)
            who = f"elsewhere pointer '{pointer.id}'"
            if pointer_owner.setdefault(key, who) != who:
                problems.append(
                    f"{who}, field `cy.phrases`: '{phrase}' is also a phrase of "
                    f"{pointer_owner[key]}"
                )
    return problems


# ---------------------------------------------------------------- reports
def missing_welsh(kb: Any) -> list[str]:
    """What a visitor could be shown only in English: one line per item, naming its fields."""
    missing = []
    for block in blocks_of(kb):
        english, welsh = block.item.english_texts(), block.item.welsh_texts()
        if block.item.cy is None:
            now = fingerprint(english)
            missing.append(f'{block.where}: no Welsh (add a `cy:` block with english: "{now}")')
            continue
        fields = [field for field in english if field not in welsh]
        fields += [f"{name} (a list)" for name in block.words if not block.item.words(name, "cy")]
        if fields:
            missing.append(f"{block.where}: no Welsh for {', '.join(fields)}")
    safety = kb.safety
    if safety is not None:
        if safety.cy is None:
            missing.append("safety: no Welsh cues (add `cy:` with the Welsh words for each)")
        else:
            situations = [name for name in safety.cues if not safety.cy.cues.get(name)]
            if situations:
                missing.append(f"safety: no Welsh cues for {', '.join(situations)}")
    return missing


def drafts(kb: Any) -> list[str]:
    """Where the Welsh is still a draft: not yet reviewed by a Welsh speaker."""
    found = [block.where for block in blocks_of(kb) if _status(block.item) == DRAFT]
    if kb.safety is not None and kb.safety.cy is not None and kb.safety.cy.status == DRAFT:
        found.append("safety `cues`")
    return found


def outdated(kb: Any) -> list[Outdated]:
    """Welsh whose English has changed since it was written (drafts) or reviewed."""
    found = []
    for block in blocks_of(kb):
        cy = block.item.cy
        if cy is None:
            continue
        now = fingerprint(block.item.english_texts())
        if cy.english != now:
            found.append(Outdated(block.where, cy.status, cy.english, now))
    return found


def counts(kb: Any) -> tuple[int, int, int]:
    """(items with visitor text or words, with Welsh, with reviewed Welsh); the safety
    cues count as one item."""
    statuses = [_status(block.item) for block in blocks_of(kb)]
    if kb.safety is not None:
        statuses.append(kb.safety.cy.status if kb.safety.cy is not None else None)
    welsh = [status for status in statuses if status is not None]
    return len(statuses), len(welsh), welsh.count(REVIEWED)


def _status(item: Bilingual) -> str | None:
    return item.cy.status if item.cy is not None else None

"""Welsh beside the English: how the assistant reads a text in either language.

Every text a visitor can be shown has its Welsh in a `cy:` block beside the English
in careers.yml. The models of the knowledge file (bot.knowledge.schema) read both
through one small API:

    entry = kb.get("salary")
    entry.text("pay.london", "cy")  # Said(text="...", lang="cy", fallback=False)
    entry.text("detail", "cy")      # no Welsh yet: Said(<the English>, "en", fallback=True)
    entry.source_in("cy")           # Source(url, in_english=True): add "(Saesneg)"
    entry.source_in("cy", "pay")    # the pay block's page
    entry.words("phrases", "cy")    # the words Welsh visitors use for the topic
    kb.conversation_text("greeting", "cy")
    kb.label("tell-me-more", "cy")

`text()` gives the English, flagged, where there is no Welsh, so a visitor is never
left without an answer; `make check-knowledge` lists what still has no Welsh, and a
test fails on it. A cy block also records its review: `status` (draft until a Welsh
speaker has reviewed it) and `english`, the fingerprint of the English it translates,
so an English change made after the Welsh was written is found.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any, ClassVar, NamedTuple

ENGLISH = "en"
WELSH = "cy"
LANGUAGES = (ENGLISH, WELSH)
DRAFT = "draft"
REVIEWED = "reviewed"
FINGERPRINT_PATTERN = re.compile(r"^[0-9a-f]{8}$")

MISOEDD = (
    "Ionawr", "Chwefror", "Mawrth", "Ebrill", "Mai", "Mehefin",
    "Gorffennaf", "Awst", "Medi", "Hydref", "Tachwedd", "Rhagfyr",
)  # fmt: skip
# A Welsh pay answer points to the live advert, as the English must ("advert").
ADVERT_CY = "hysbyseb"
# Figures, dates and phone numbers: "£42,320", "2024/25", "2:2", "2.32", "08".
NUMBER = re.compile(r"\d+(?:[.,:/]\d+)*")


class Said(NamedTuple):
    """A text to show, and the language it is written in."""

    text: str
    lang: str  # "en" or "cy": mark the text with it (lang="cy" in the widget)
    fallback: bool  # Welsh was asked for and there is none yet: this is the English


class Source(NamedTuple):
    """The page that backs a text, for a reader of one language."""

    url: str
    # A Welsh reader is sent to an English page: show "(Saesneg)" beside the link
    # (the label `source-in-english`). Always False for an English reader.
    in_english: bool


def check_language(lang: str) -> str:
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}: use one of {', '.join(LANGUAGES)}")
    return lang


def month_and_year_cy(advertised: str) -> str:
    """'2025-03' as a Welsh visitor reads it: 'Mawrth 2025' (written after 'mis')."""
    year, month = advertised.split("-")
    return f"{MISOEDD[int(month) - 1]} {year}"


def numbers(text: str) -> set[str]:
    return set(NUMBER.findall(text))


def fingerprint(texts: dict[str, str]) -> str:
    """A short hash of the English texts a Welsh block translates.

    Spacing is ignored, so re-wrapping a folded answer does not count as a change.
    """
    lines = (f"{field}={' '.join(text.split())}" for field, text in sorted(texts.items()))
    canonical = "\n".join(lines)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:8]


def lookup(item: Any, field: str) -> Any:
    """The value at a dotted field: "pay.london", or "right_to_work_notes.no" (a dict key,
    which may itself hold dots: "source_names.www.cps.gov.uk")."""
    if item is None:
        return None
    if isinstance(item, dict):
        return item.get(field)
    head, _, rest = field.partition(".")
    value = getattr(item, head, None)
    return lookup(value, rest) if rest else value


def texts_at(item: Any, fields: tuple[str, ...]) -> dict[str, str]:
    """{field: text} for the fields that hold text; a dict field gives one per key."""
    found: dict[str, str] = {}
    for field in fields:
        value = lookup(item, field)
        if isinstance(value, dict):
            found.update({f"{field}.{key}": text for key, text in value.items() if text})
        elif isinstance(value, str) and value:
            found[field] = value
    return found


class Bilingual:
    """The reading API of every model that has a `cy` block (mixed into the schema).

    `translated` names the fields a visitor can be shown; the `cy` block has the same
    field names, so "pay.answer" is the English `pay.answer` or the Welsh `cy.pay.answer`.
    """

    translated: ClassVar[tuple[str, ...]] = ()
    cy: Any

    def english_texts(self) -> dict[str, str]:
        """The English a visitor can be shown, by field: what the `cy` block translates."""
        return texts_at(self, self.translated)

    def welsh_texts(self) -> dict[str, str]:
        return texts_at(self.cy, self.translated) if self.cy is not None else {}

    def text(self, field: str, lang: str) -> Said | None:
        """The text of `field` for a reader of `lang`; None if the English has no such text.

        Without Welsh for it, the English is given with `fallback=True`.
        """
        check_language(lang)
        english = lookup(self, field)
        if not isinstance(english, str):
            return None
        if lang == WELSH:
            welsh = lookup(self.cy, field)
            if isinstance(welsh, str) and welsh:
                return Said(welsh, WELSH, False)
            return Said(english, ENGLISH, True)
        return Said(english, ENGLISH, False)

    def words(self, field: str, lang: str) -> list[str]:
        """A list of words in one language ("phrases", "replies"): no fallback, the Welsh
        list is the Welsh visitors' own words (empty if none)."""
        check_language(lang)
        item = self.cy if lang == WELSH else self
        return list(lookup(item, field) or [])

    def source_in(self, lang: str, part: str = "") -> Source | None:
        """The page behind this text (or its `part`: "pay", "apply") for a reader of `lang`:
        the Welsh page where the cy block names one, else the English page."""
        check_language(lang)
        field = f"{part}.source" if part else "source"
        english = lookup(self, field)
        if english is None:
            return None
        welsh = lookup(self.cy, field) if lang == WELSH else None
        if welsh:
            return Source(welsh, False)
        return Source(english, lang == WELSH)

"""A turn's replies in the visitor's language, from the knowledge file's Welsh.

The actions compose every reply from the knowledge file's English texts (an answer, a
title, a label, the safety signposting joined before an answer, a template such as
"My information on {subject} ..." with its value filled in). Each of those texts has its
Welsh beside it in a `cy` block, so a reply to a Welsh visitor is the same reply with
each English text swapped for its Welsh: one source of truth, and no action needs to
know the language.

A text with any part that has no Welsh yet is sent whole in English (never half
translated), and its `custom` payload says `"lang": "en"`, as the widget then marks it.
Every message that carries the turn's `custom` payload gets `"lang"`; a Welsh answer
whose page exists only in English also gets `"source_note": "(Saesneg)"`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pydantic import BaseModel

from bot.knowledge import KnowledgeBase, load_knowledge
from bot.knowledge.welsh import ENGLISH, WELSH, Bilingual, Source

PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
SOURCE_IN_ENGLISH = "source-in-english"
# What may stay as it is in a Welsh text: figures, punctuation, addresses, and the
# markdown of a link.
NEUTRAL = re.compile(r"https?://\S+|[\W\d_]+")


def bilingual_items(node: Any) -> Iterator[Bilingual]:
    """Every model of the knowledge file that has Welsh beside its English."""
    if isinstance(node, Bilingual):
        yield node
    if isinstance(node, BaseModel):
        for name in node.__fields__:
            if name != "cy":
                yield from bilingual_items(getattr(node, name))
    elif isinstance(node, dict):
        for value in node.values():
            yield from bilingual_items(value)
    elif isinstance(node, (list, tuple)):
        for value in node:
            yield from bilingual_items(value)


def _normal(text: str) -> str:
    return " ".join(text.split())


@dataclass(frozen=True)
class Template:
    """An English text with {placeholders}, found in a reply with its values filled in."""

    pattern: re.Pattern[str]
    welsh: str


class WelshReplies:
    """Swaps the knowledge file's English texts in a reply for their Welsh."""

    def __init__(self, kb: KnowledgeBase):
        self.kb = kb
        self.texts: dict[str, str] = {}
        self.sources: dict[str, Source] = {}
        templates: list[Template] = []
        for item in bilingual_items(_file_models(kb)):
            welsh = item.welsh_texts()
            for field, english in item.english_texts().items():
                if field not in welsh:
                    continue
                if PLACEHOLDER.search(english):
                    templates.append(Template(_template_pattern(english), welsh[field]))
                else:
                    self.texts.setdefault(_normal(english), welsh[field])
            for part in ("", "pay", "apply"):
                if not _has_source(item, part):
                    continue
                english_url = item.source_in(ENGLISH, part).url
                welsh_page = item.source_in(WELSH, part)
                known = self.sources.get(english_url)
                if known is None or (known.in_english and not welsh_page.in_english):
                    self.sources[english_url] = welsh_page
        self.templates = templates
        # One pass over a text finds every knowledge text in it, the longest first.
        known = sorted(self.texts, key=len, reverse=True)
        self.segments = re.compile("|".join(_bounded(text) for text in known)) if known else None

    def text(self, english: str) -> str | None:
        """The Welsh of a reply's text, or None if any part of it has no Welsh."""
        whole = self._whole(english)
        if whole is not None:
            return whole
        if "\n" in english:
            lines = [
                self._whole(line) or self._segments(line) if line.strip() else line
                for line in english.split("\n")
            ]
            return None if any(line is None for line in lines) else "\n".join(lines)
        return self._segments(english)

    def _whole(self, english: str) -> str | None:
        normal = _normal(english)
        if normal in self.texts:
            return self.texts[normal]
        for template in self.templates:
            match = template.pattern.fullmatch(normal)
            welsh = self._filled(template, match) if match else None
            if welsh is not None:
                return welsh
        return None

    def _filled(self, template: Template, match: re.Match[str]) -> str | None:
        values = {key: self._value(value) for key, value in match.groupdict().items()}
        return None if None in values.values() else _filled(template.welsh, values)

    def _value(self, english: str) -> str | None:
        """A template's value in Welsh: its Welsh, or itself if it needs none (a figure, an
        address, a name with no Welsh of its own, such as a site's title-cased name)."""
        welsh = self.text(english)
        if welsh is not None:
            return welsh
        return english if not NEUTRAL.sub("", english) or english.istitle() else None

    def _segments(self, english: str) -> str | None:
        """Each knowledge text and filled template in `english` in Welsh (a safety lead
        and an answer, "Pay: Crown prosecutor", what the route finder understood and its
        heading), or None if anything else is left in English."""
        found: list[tuple[int, int, str]] = []  # start, end, Welsh
        for template in self.templates:
            for match in template.pattern.finditer(english):
                welsh = self._filled(template, match)
                if welsh is not None and not _overlaps(found, match.start(), match.end()):
                    found.append((match.start(), match.end(), welsh))
        if self.segments is not None:
            for match in self.segments.finditer(english):
                if not _overlaps(found, match.start(), match.end()):
                    welsh = self.texts[_normal(match.group())]
                    found.append((match.start(), match.end(), welsh))
        pieces: list[str] = []
        position = 0
        for start, end, welsh in sorted(found):
            if NEUTRAL.sub("", english[position:start]):
                return None  # some English has no Welsh: say it all in English
            pieces += [english[position:start], welsh]
            position = end
        if NEUTRAL.sub("", english[position:]):
            return None
        return "".join(pieces + [english[position:]])

    def source(self, url: str) -> Source:
        return self.sources.get(url, Source(url, True))

    def render(self, messages: list[dict[str, Any]], lang: str) -> None:
        """Put a turn's messages (rasa-sdk's dicts) in `lang`, in place."""
        for message in messages:
            said = ENGLISH
            if lang == WELSH and message.get("text"):
                welsh = self.text(message["text"])
                if welsh is not None:
                    message["text"], said = welsh, WELSH
            elif lang == WELSH and not message.get("text"):
                said = WELSH
            if lang == WELSH:
                for button in message.get("buttons") or []:
                    button["title"] = self.text(button.get("title") or "") or button.get("title")
            custom = message.get("custom")
            if isinstance(custom, dict) and "topic" in custom:
                custom["lang"] = said
                if said == WELSH:
                    self._welsh_custom(custom)

    def _welsh_custom(self, custom: dict[str, Any]) -> None:
        if isinstance(custom.get("title"), str):
            custom["title"] = self.text(custom["title"]) or custom["title"]
        if isinstance(custom.get("source"), str):
            source = self.source(custom["source"])
            custom["source"] = source.url
            if source.in_english and SOURCE_IN_ENGLISH in self.kb.labels:
                custom["source_note"] = self.kb.label(SOURCE_IN_ENGLISH, WELSH).text


def _overlaps(found: list[tuple[int, int, str]], start: int, end: int) -> bool:
    return any(start < other_end and other_start < end for other_start, other_end, _ in found)


def _filled(template: str, values: dict[str, str]) -> str:
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), template)


def _file_models(kb: KnowledgeBase) -> list[Any]:
    return [
        kb.entries,
        kb.conversation,
        kb.labels,
        kb.pathway,
        kb.safety,
        list(kb.elsewhere),
    ]


def _has_source(item: Any, part: str) -> bool:
    holder = getattr(item, part, None) if part else item
    return isinstance(getattr(holder, "source", None), str)


def _bounded(text: str) -> str:
    """`text` as a regex that matches it only as whole words, with any spacing."""
    words = [re.escape(word) for word in text.split()]
    pattern = r"\s+".join(words)
    start = r"\b" if re.match(r"\w", text) else ""
    end = r"\b" if re.search(r"\w$", text) else ""
    return f"{start}{pattern}{end}"


def _template_pattern(english: str) -> re.Pattern[str]:
    parts = PLACEHOLDER.split(_normal(english))
    regex = ""
    for index, part in enumerate(parts):
        if index % 2:
            regex += f"(?P<{part}>.+?)" if f"(?P<{part}>" not in regex else f"(?P={part})"
        else:
            regex += re.escape(part)
    return re.compile(regex)


@lru_cache(maxsize=4)
def _for(kb: KnowledgeBase) -> WelshReplies:
    return WelshReplies(kb)


def welsh_replies(kb: KnowledgeBase | None = None) -> WelshReplies:
    """The swaps for the knowledge file as loaded (made once per file version)."""
    return _for(kb or load_knowledge())

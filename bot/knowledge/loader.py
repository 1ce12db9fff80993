"""Read, validate and cache the knowledge file.

Field-level rules are in `schema`; the rules that need the whole file (unique
ids, related ids that exist, phrases used once) are checked here. Every problem
is reported with the entry and field it concerns, in words an editor can act on.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from bot.knowledge.schema import (
    Entry,
    KnowledgeError,
    KnowledgeFile,
    Label,
    Pathway,
    Pointer,
    Reply,
    Safety,
)
from bot.knowledge.sources import EDITOR_NOTE, promises
from bot.knowledge.translations import welsh_problems
from bot.knowledge.welsh import WELSH, Said, check_language

KNOWLEDGE_FILE = Path(__file__).resolve().parent / "careers.yml"
logger = logging.getLogger(__name__)

# Replies the actions send by key; an editor must not remove them.
REQUIRED_CONVERSATION = (
    "greeting",
    "goodbye",
    "thanks",
    "bot-identity",
    "privacy",
    "personal-details-removed",
    "human-handoff",
    "out-of-scope",
    "fallback",
    "fallback-no-suggestions",
    "more-unavailable",
    "feedback-thanks",
    "feedback-invalid",
    # Sent by the channels (bot/channels/guard.py).
    "empty-message",
    "message-too-long",
    "slow-down",
    "conversation-full",
    "unavailable",
)
# Labels the code puts beside replies (bot/actions/replies.py, the widget).
REQUIRED_LABELS = (
    "tell-me-more",  # the button that asks for an answer's detail
    "source-in-english",  # said beside a Welsh answer's source when the page is in English
)
# The pay answers have a London variant, asked for as "what about London?".
REQUIRED_PLACE = "London"

# pydantic's wording, said the way an editor would understand it.
FRIENDLY_MESSAGES = {
    "field required": "is missing (it is required)",
    "extra fields not permitted": "is not a known field (check the spelling)",
    "none is not an allowed value": "is empty",
}


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: it holds dicts
class KnowledgeBase:
    """The validated knowledge file."""

    entries: dict[str, Entry]  # in file order
    places: list[str]
    conversation: dict[str, Reply]
    path: Path
    pathway: Pathway | None = None  # the pathway finder's wording and routes
    safety: Safety | None = None  # what anyone in danger or distress is told first
    elsewhere: tuple[Pointer, ...] = ()  # where to go for jobs and help outside the CPS
    labels: dict[str, Label] = field(default_factory=dict)  # button titles the code adds
    places_cy: dict[str, list[str]] = field(default_factory=dict)  # Welsh names of places

    def get(self, entry_id: str) -> Entry | None:
        return self.entries.get(entry_id)

    def conversation_text(self, key: str, lang: str) -> Said:
        """A conversation reply in `lang` (English, flagged, where it has no Welsh yet)."""
        return self.conversation[key].text("answer", lang)

    def label(self, key: str, lang: str) -> Said:
        """A label ("tell-me-more") in `lang` (English, flagged, where it has no Welsh)."""
        return self.labels[key].text("wording", lang)

    def places_in(self, lang: str) -> dict[str, str]:
        """{a place as visitors write it in `lang`: the place's name in `places`}."""
        check_language(lang)
        if lang == WELSH:
            return {name: place for place, names in self.places_cy.items() for name in names}
        return {place: place for place in self.places}

    def phrases_by_kind(self) -> dict[str, dict[str, str]]:
        """{kind: {phrase: entry id}} for the entries that have a kind (entity patterns)."""
        by_kind: dict[str, dict[str, str]] = {}
        for entry in self.entries.values():
            if entry.kind:
                for phrase in entry.phrases:
                    by_kind.setdefault(entry.kind, {})[phrase] = entry.id
        return by_kind


_cache: dict[Path, tuple[int, KnowledgeBase]] = {}  # by path: (its mtime when read, it)


def load_knowledge(path: str | Path | None = None, *, reload: bool = False) -> KnowledgeBase:
    """The knowledge base from `path` (default KNOWLEDGE_FILE), cached until the file changes.

    An editor's change (the console's Answers page) is read on the next call, so the
    running action server answers with it. A change that breaks the file keeps the last
    good version in use (and is logged); the first read raises KnowledgeError, naming the
    entry and field. `reload=True` reads the file again whatever its time.
    """
    path = Path(path or KNOWLEDGE_FILE).resolve()
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        stamp = -1
    cached = _cache.get(path)
    if reload or cached is None or cached[0] != stamp:
        try:
            _cache[path] = (stamp, _read(path))
        except KnowledgeError as error:
            if reload or cached is None:
                raise
            logger.error("Still answering from the last good knowledge file: %s", error)
            _cache[path] = (stamp, cached[1])
    return _cache[path][1]


def read_knowledge(path: str | Path) -> KnowledgeBase:
    """The knowledge base from `path`, read and checked now and not cached (a draft)."""
    return _read(Path(path))


def _read(path: Path) -> KnowledgeBase:
    text, raw = _read_yaml(path)
    notes = _editor_notes(text)
    try:
        data = KnowledgeFile.parse_obj(raw)
    except ValidationError as error:
        raise _problems(path, notes + [_describe(e, raw) for e in error.errors()]) from None
    problems = notes + _whole_file_problems(data)
    if problems:
        raise _problems(path, problems)
    return KnowledgeBase(
        entries={entry.id: entry for entry in data.entries},
        places=list(data.places),
        conversation=dict(data.conversation),
        path=path,
        pathway=data.pathway,
        safety=data.safety,
        elsewhere=tuple(data.elsewhere),
        labels=dict(data.labels),
        places_cy=dict(data.places_cy),
    )


class _UniqueKeyLoader(yaml.SafeLoader):
    """PyYAML keeps the last of two equal keys; a field written twice is a mistake."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"the field {key!r} is written twice", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _read_yaml(path: Path) -> tuple[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise KnowledgeError(f"cannot read the knowledge file {path}: {error.strerror}") from None
    try:
        raw = yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 (a SafeLoader subclass)
    except yaml.YAMLError as error:
        raise KnowledgeError(f"{path.name} is not valid YAML:\n{error}") from None
    if not isinstance(raw, dict):
        raise KnowledgeError(f"{path.name} must have the sections entries, places and conversation")
    return text, raw


def _editor_notes(text: str) -> list[str]:
    """Notes to an editor left in comments ("# EDITOR: confirm ..."), by line number."""
    return [
        f"line {number}: an EDITOR note is still in the file ({line.strip()!r}); "
        "do what it asks, then delete it"
        for number, line in enumerate(text.splitlines(), start=1)
        if "#" in line and EDITOR_NOTE.search(line[line.index("#") :])
    ]


def _describe(error: dict, raw: dict) -> str:
    """'entry 'salary', field `pay.source`: must be ...' from a pydantic error."""
    loc = [part for part in error["loc"] if part != "__root__"]
    head = loc.pop(0) if loc else None
    where = f"section `{head}`" if head else "the file"
    if head == "entries" and loc and isinstance(loc[0], int):
        index = loc.pop(0)
        entries = raw.get("entries")
        item = entries[index] if isinstance(entries, list) else None
        entry_id = item.get("id") if isinstance(item, dict) else None
        where = f"entry '{entry_id}'" if entry_id else f"entry number {index + 1}"
    elif head == "conversation" and loc:
        where = f"conversation reply '{loc.pop(0)}'"
    elif head == "labels" and loc:
        where = f"label '{loc.pop(0)}'"
    field = ".".join(f"item {part + 1}" if isinstance(part, int) else str(part) for part in loc)
    message = FRIENDLY_MESSAGES.get(error["msg"], error["msg"])
    return f"{where}, field `{field}`: {message}" if field else f"{where}: {message}"


def _normal(phrase: str) -> str:
    return " ".join(phrase.lower().split())


def _whole_file_problems(data: KnowledgeFile) -> list[str]:
    problems = []
    ids = Counter(entry.id for entry in data.entries)
    problems += [
        f"the id '{i}' is used by {n} entries; ids must be unique" for i, n in ids.items() if n > 1
    ]

    owner: dict[str, str] = {}  # normalised phrase -> entry id
    places = {_normal(place) for place in data.places}
    for entry in data.entries:
        where = f"entry '{entry.id}'"
        for related, count in Counter(entry.related).items():
            if related == entry.id:
                problems.append(f"{where}, field `related`: an entry cannot be related to itself")
            elif related not in ids:
                problems.append(
                    f"{where}, field `related`: there is no entry with the id '{related}'"
                )
            elif count > 1:
                problems.append(f"{where}, field `related`: '{related}' is listed twice")
        for phrase in entry.phrases:
            key = _normal(phrase)
            if key in owner:
                # One phrase must point to one entry, or the assistant cannot tell them apart.
                problems.append(
                    f"{where}, field `phrases`: '{phrase}' is also a phrase of entry '{owner[key]}'"
                )
            elif key in places:
                problems.append(f"{where}, field `phrases`: '{phrase}' is also in `places`")
            owner.setdefault(key, entry.id)

    for entry in data.entries:
        problems += _wording_problems(entry)
    problems += [
        f"conversation reply '{key}', field `answer`: {_promise_message(found)}"
        for key, reply in data.conversation.items()
        if (found := promises(reply.answer))
    ]
    problems += [
        f"places: '{place}' is listed twice"
        for place, n in Counter(_normal(p) for p in data.places).items()
        if n > 1
    ]
    if REQUIRED_PLACE not in data.places:
        problems.append(
            f"places: keep '{REQUIRED_PLACE}' in the list (pay answers have a London rate)"
        )
    problems += [
        f"conversation: the reply '{key}' is missing (the assistant uses it)"
        for key in REQUIRED_CONVERSATION
        if key not in data.conversation
    ]
    problems += [
        f"labels: the label '{key}' is missing (the assistant uses it)"
        for key in REQUIRED_LABELS
        if key not in data.labels
    ]
    if data.pathway is not None:
        problems += _pathway_problems(data.pathway, set(ids))
    problems += _elsewhere_problems(data.elsewhere, owner, places)
    problems += welsh_problems(data)
    return problems


def _elsewhere_problems(
    pointers: list[Pointer], entry_phrases: dict[str, str], places: set[str]
) -> list[str]:
    """Pointer ids are unique; a phrase names one pointer, and no entry or place."""
    problems = [
        f"elsewhere: the id '{i}' is used by {n} pointers; ids must be unique"
        for i, n in Counter(pointer.id for pointer in pointers).items()
        if n > 1
    ]
    owner: dict[str, str] = {}
    for pointer in pointers:
        where = f"elsewhere, pointer '{pointer.id}', field `phrases`"
        for phrase in pointer.phrases:
            key = _normal(phrase)
            if key in entry_phrases:
                entry = entry_phrases[key]
                problems.append(f"{where}: '{phrase}' is also a phrase of entry '{entry}'")
            elif key in places:
                problems.append(f"{where}: '{phrase}' is also in `places`")
            elif owner.setdefault(key, pointer.id) != pointer.id:
                problems.append(f"{where}: '{phrase}' is also a phrase of pointer '{owner[key]}'")
    return problems


def _promise_message(found: list[str]) -> str:
    words = ", ".join(f"'{phrase}'" for phrase in dict.fromkeys(found))
    return (
        f"{words} promises more than a source can (a candidate reads it as a guarantee); "
        "say what the source says, or, if these are the source's own words, list them "
        "under `quoted`"
    )


def _wording_problems(entry: Entry) -> list[str]:
    """Absolute promises outside `quoted` passages, and `quoted` passages used nowhere."""
    where = f"entry '{entry.id}'"
    texts = entry.texts()
    problems = [
        f"{where}, field `{field}`: {_promise_message(found)}"
        for field, text in texts.items()
        if (found := promises(text, entry.quoted))
    ]
    problems += [
        f"{where}, field `quoted`: '{passage}' is not in any of the entry's texts; "
        "quote the source's words exactly, or remove the passage"
        for passage in entry.quoted
        if not any(passage in text for text in texts.values())
    ]
    return problems


def _pathway_problems(pathway: Pathway, ids: set[str]) -> list[str]:
    """Routes and the offer must name entries that exist; a profile lists a route once."""
    problems = []
    for name, profile in pathway.profiles.items():
        routes = [route.route for route in profile.routes]
        for route, count in Counter(routes).items():
            where = f"pathway, profile '{name}'"
            if route not in ids:
                problems.append(f"{where}: there is no entry with the id '{route}'")
            elif count > 1:
                problems.append(f"{where}: the route '{route}' is listed twice")
    problems += [
        f"pathway, field `offer.entries`: there is no entry with the id '{entry}'"
        for entry in pathway.offer.entries
        if entry not in ids
    ]
    return problems


def _problems(path: Path, problems: list[str]) -> KnowledgeError:
    count = f"{len(problems)} problem" + ("s" if len(problems) > 1 else "")
    return KnowledgeError(f"{path.name} has {count}:\n" + "\n".join(f"- {p}" for p in problems))

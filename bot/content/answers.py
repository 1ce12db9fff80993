"""Editing one entry of the knowledge file, as the console's Answers page does.

Only the entry's own lines change: its block is read with ruamel.yaml (which keeps the
comments and the folded ``>-`` style), the edited fields are set, and the block is
written back in place, so every other line of the file stays byte for byte as it was.
The whole file is then checked exactly as `make check-knowledge` checks it, from a
draft copy, before it replaces the real one; problems come back by field.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
import textwrap
import threading
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.scalarstring import FoldedScalarString

from bot.content import knowledge_file
from bot.knowledge.loader import read_knowledge
from bot.knowledge.schema import KnowledgeError

# What the Answers form edits, in the order it shows them.
FIELDS = ("title", "answer", "detail", "source", "reviewed", "related", "phrases")
LISTS = ("related", "phrases")
FOLDED = ("answer", "detail")  # long texts, written as folded blocks like the rest
ENTRY_START = re.compile(r"^  - id: *(?P<id>[a-z0-9-]+) *$")
BLOCK_END = re.compile(r"^(  - |  #|\S)")  # the next entry, a divider comment or section
WIDTH = 96  # new folded texts are wrapped to this, like the file's own
_lock = threading.Lock()


class EntryNotFound(LookupError):
    pass


@dataclass
class Draft:
    """An entry's editable fields as the form shows them (all text)."""

    values: dict[str, str]
    errors: dict[str, list[str]] = field(default_factory=dict)  # by field ("" for the rest)


def _text() -> str:
    return knowledge_file().read_text(encoding="utf-8")


def _span(lines: list[str], entry_id: str) -> tuple[int, int]:
    """The first and after-last line of an entry's block (trailing blank lines left out)."""
    ids = ((i, ENTRY_START.match(line)) for i, line in enumerate(lines))
    start = next((i for i, found in ids if found and found["id"] == entry_id), None)
    if start is None:
        raise EntryNotFound(entry_id)
    end = start + 1
    while end < len(lines) and not BLOCK_END.match(lines[end]):
        end += 1
    while end > start + 1 and not lines[end - 1].strip():
        end -= 1
    return start, end


def entry_block(entry_id: str, text: str | None = None) -> str:
    lines = (text if text is not None else _text()).splitlines(keepends=True)
    start, end = _span(lines, entry_id)
    return "".join(lines[start:end])


_parsed: tuple[int, dict] | None = None
Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C parser: the file is large


def _data() -> dict:
    """The knowledge file as plain data, parsed again only when it changed."""
    global _parsed
    stamp = knowledge_file().stat().st_mtime_ns
    if _parsed is None or _parsed[0] != stamp:
        _parsed = (stamp, yaml.load(_text(), Loader=Loader) or {})  # noqa: S506 (safe loader)
    return _parsed[1]


def entries() -> list[dict[str, str]]:
    """Every entry's id and title, in file order."""
    return [{"id": e["id"], "title": e.get("title", "")} for e in _data().get("entries") or []]


def titles() -> dict[str, str]:
    """{entry id: title}."""
    return {entry["id"]: entry["title"] for entry in entries()}


def _yaml() -> YAML:
    parser = YAML()  # round trip: comments, order and styles kept
    parser.indent(mapping=2, sequence=4, offset=2)
    parser.width = 4096  # never re-wrap what is already there
    parser.preserve_quotes = True
    return parser


def draft_of(entry_id: str) -> Draft:
    """The entry's current values, as the form shows them."""
    return Draft(draft_values(entry_block(entry_id)))


def _folded(value: str) -> FoldedScalarString:
    # Wrapped as the file is, so a diff shows the words that changed, not one long line.
    wrapped = textwrap.fill(
        " ".join(value.split()), width=WIDTH - 6, break_on_hyphens=False, break_long_words=False
    )
    folded = FoldedScalarString(wrapped.replace("\n", " "))
    folded.fold_pos = [i for i, c in enumerate(wrapped) if c == "\n"]
    return folded


def _list(value: str, split_commas: bool) -> list[str]:
    parts = re.split(r"[\n,]" if split_commas else r"\n", value)
    return [" ".join(part.split()) for part in parts if part.strip()]


def new_block(entry_id: str, values: dict[str, str], text: str | None = None) -> str:
    """The entry's block with ``values`` (the form's text) set; empty ``detail`` removes it."""
    parser = _yaml()
    old = entry_block(entry_id, text)
    current = draft_values(old)
    block = parser.load(old)
    entry = block[0]
    for name in FIELDS:
        value = (values.get(name) or "").strip()
        if _same(name, value, current[name]):
            continue  # left as written, folds and all
        if name == "related":
            entry[name] = type(entry[name])(_list(value, split_commas=True))
            entry[name].fa.set_flow_style()
        elif name == "phrases":
            entry[name] = type(entry[name])(_list(value, split_commas=False))
            entry[name].fa.set_flow_style()
        elif name == "reviewed":
            try:
                entry[name] = date.fromisoformat(value)
            except ValueError:
                entry[name] = value  # the schema check says what is wrong with it
        elif name == "detail" and not value:
            entry.pop(name, None)
        elif name in FOLDED and value:
            entry[name] = _folded(value)
        elif value or name in entry:
            entry[name] = " ".join(value.split())
    out = io.StringIO()
    parser.dump(block, out)
    return out.getvalue()


def _same(name: str, value: str, current: str) -> bool:
    if name in LISTS:
        commas = name == "related"
        return _list(value, split_commas=commas) == _list(current, split_commas=commas)
    return value.split() == current.split()


def _replace_block(text: str, entry_id: str, block: str) -> str:
    lines = text.splitlines(keepends=True)
    start, end = _span(lines, entry_id)
    if not block.endswith("\n"):
        block += "\n"
    return "".join(lines[:start]) + block + "".join(lines[end:])


def problems_by_field(error: KnowledgeError, entry_id: str) -> dict[str, list[str]]:
    """The check's problems, those about this entry by its field ("" for the others)."""
    found: dict[str, list[str]] = {}
    prefix = f"entry '{entry_id}', field `"
    for line in str(error).splitlines()[1:]:
        problem = line.removeprefix("- ")
        name = ""
        if problem.startswith(prefix):
            name = problem[len(prefix) :].split("`", 1)[0].split(".")[0]
            problem = problem[len(prefix) :].split("`: ", 1)[-1]
            if name not in FIELDS:
                name = ""
        found.setdefault(name, []).append(problem)
    return found


def _check(text: str, path: Path) -> None:
    """KnowledgeError unless ``text`` is a valid knowledge file (checked from a draft)."""
    handle, draft = tempfile.mkstemp(dir=path.parent, prefix=".draft-", suffix=".yml")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        read_knowledge(draft)
    finally:
        os.unlink(draft)


def save(entry_id: str, values: dict[str, str]) -> tuple[str, str] | Draft:
    """Write the edited entry if the whole file passes the check: (block before, after);
    else a Draft with the problems by field, and nothing written."""
    path = knowledge_file()
    with _lock:
        text = _text()
        before = entry_block(entry_id, text)
        after = new_block(entry_id, values, text)
        return _write_if_valid(path, text, entry_id, before, after, values)


def put_block(entry_id: str, block: str) -> tuple[str, str] | Draft:
    """Put a block from the history back (a revert), checked like any edit."""
    path = knowledge_file()
    with _lock:
        text = _text()
        before = entry_block(entry_id, text)
        return _write_if_valid(path, text, entry_id, before, block, draft_values(block))


LIST_SEPARATORS = {"related": ", ", "phrases": "\n"}  # a one-line input; a text area


def draft_values(block: str) -> dict[str, str]:
    """An entry block's editable fields as the form's text."""
    entry = yaml.safe_load(block)[0]
    return {
        name: LIST_SEPARATORS[name].join(map(str, entry.get(name) or [])) if name in LISTS
        else str(entry.get(name) or "")
        for name in FIELDS
    }


def _write_if_valid(path, text, entry_id, before, after, values) -> tuple[str, str] | Draft:
    if before == after:
        return before, after
    changed = _replace_block(text, entry_id, after)
    try:
        _check(changed, path)
    except KnowledgeError as error:
        return Draft(dict(values), problems_by_field(error, entry_id))
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".careers-", suffix=".tmp")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(changed)
    os.chmod(temporary, 0o644)
    os.replace(temporary, path)  # readers see the old file or the new, never half
    return before, after


def label(key: str) -> str:
    """A label's English wording from the file (the widget's "Tell me more" button)."""
    return str(((_data().get("labels") or {}).get(key) or {}).get("wording") or key)


def preview(values: dict[str, str]) -> dict:
    """What the widget would show for these values: the answer as its paragraphs, the
    source line and the follow-up buttons (text only; the template escapes it all)."""
    titles_now = titles()
    related = _list(values.get("related") or "", split_commas=True)
    buttons = [titles_now.get(topic, topic) for topic in related]
    if (values.get("detail") or "").strip():
        buttons.insert(0, label("tell-me-more"))
    try:
        checked = date.fromisoformat((values.get("reviewed") or "").strip())
        checked_words = f"{checked.day} {checked:%B %Y}"
    except ValueError:
        checked_words = ""
    return {
        "paragraphs": [" ".join(p.split()) for p in (values.get("answer") or "").split("\n\n")
                       if p.strip()],
        "detail": [" ".join(p.split()) for p in (values.get("detail") or "").split("\n\n")
                   if p.strip()],
        "source": (values.get("source") or "").strip(),
        "title": " ".join((values.get("title") or "").split()),
        "checked": checked_words,
        "buttons": buttons,
    }

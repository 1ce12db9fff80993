"""Redaction of one of Rasa's serialised events (``Event.as_dict()``), without Rasa.

Used by the tracker store before an event is written or streamed to an event broker, and
by ``bot.storage.redact_stored`` on events already in the database. What is redacted,
per event type:

* ``user``: ``text``, ``parse_data.text``, and each entity's ``value`` and ``text`` when
  they are strings (the NLU may copy what the visitor typed);
* ``slot``: ``value`` when it is a string, or strings inside a list value;
* everything else: untouched (no visitor text).
"""

from __future__ import annotations

from typing import Any

from bot.privacy import redact


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return redact(value).text
    if isinstance(value, list):
        return [_clean(item) for item in value]
    return value


def redact_event(data: dict[str, Any]) -> dict[str, Any]:
    """Redact one serialised event in place and return it."""
    kind = data.get("event")
    if kind == "user":
        if isinstance(data.get("text"), str):
            data["text"] = redact(data["text"]).text
        parse_data = data.get("parse_data")
        if isinstance(parse_data, dict):
            if isinstance(parse_data.get("text"), str):
                parse_data["text"] = redact(parse_data["text"]).text
            for entity in parse_data.get("entities") or []:
                if isinstance(entity, dict):
                    for key in ("value", "text"):
                        if key in entity:
                            entity[key] = _clean(entity[key])
    elif kind == "slot":
        data["value"] = _clean(data.get("value"))
    return data

"""Find an event's class by its type name once, not by walking Event's subclasses each time.

Rasa 3.6.21's ``Event.resolve_by_type`` lists every subclass of ``Event``
(recursively, checking each for abstractness) for every event it reads: each
event of a tracker loaded from the tracker store, each event an action returns.
Profiling put that at a tenth of the Rasa server's time per message
(docs/performance.md). Classes found are remembered by type name; a name not found
is looked up the original way every time (an event class imported later is
still found; an unknown name still raises Rasa's error).
"""

from __future__ import annotations

from rasa.shared.core.events import Event

_original = Event.resolve_by_type
_found: dict[str, type[Event]] = {}


def resolve_by_type(type_name: str, default: type[Event] | None = None) -> type[Event] | None:
    """Event.resolve_by_type (rasa 3.6.21), remembering the classes it finds."""
    known = _found.get(type_name)
    if known is not None:
        return known
    resolved = _original(type_name, default)
    if resolved is not None and resolved.type_name == type_name:
        _found[type_name] = resolved
    return resolved


def remember_event_types() -> None:
    Event.resolve_by_type = staticmethod(resolve_by_type)

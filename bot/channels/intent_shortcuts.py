"""Which "/intent{...}" messages may use Rasa's intent shortcut; the rest become plain text.

Rasa reads a message starting with "/" as an intent with entities and skips the NLU:
"/restart" would wipe a conversation, "/salary{"role": "x"}" would set any entity. So
only what our buttons and the widget send passes:

- a bare intent listed in domain.yml: the buttons send topic intents, /tell-me-more,
  /pathway-finder, /start-again and /stop, the widget opens with /greeting. Each of them
  can also be reached by typing. Rasa's built-in intents (restart, session_start, back,
  nlu_fallback, ...) are not in domain.yml, so they do not pass.
- the widget's rating, /feedback{"rating": "up", "rated_topic": "salary"}, rebuilt from
  a rating and topic that the feedback action records. Any other /feedback loses its
  entities, so the visitor is told the rating could not be recorded.

Anything else starting with "/" loses its slashes and is read by the NLU as words.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from bot.actions.ratings import valid_rating
from bot.knowledge import KnowledgeBase, load_knowledge

DOMAIN_FILE = Path(__file__).resolve().parents[2] / "domain.yml"
COMMAND = re.compile(r"^/(?P<intent>[a-z0-9_-]{1,64})(?P<entities>\{.*\})?$", re.DOTALL)
FEEDBACK = "feedback"


@dataclass(frozen=True)
class Commands:
    intents: frozenset[str]
    kb: KnowledgeBase

    def screen(self, text: str) -> str:
        """`text` as Rasa should get it: an allowed command, or words without leading '/'."""
        if not text.startswith("/"):
            return text
        match = COMMAND.match(text)
        if match and match["intent"] == FEEDBACK:
            return self._feedback(match["entities"])
        if match and match["entities"] is None and match["intent"] in self.intents:
            return text
        return text.lstrip("/ \t\r\n")

    def _feedback(self, entities: str | None) -> str:
        try:
            values = json.loads(entities) if entities else None
        except ValueError:
            values = None
        if isinstance(values, dict) and set(values) == {"rating", "rated_topic"}:
            rating, topic = values["rating"], values["rated_topic"]
            if valid_rating(self.kb, rating, topic):
                return f"/{FEEDBACK}" + json.dumps({"rating": rating, "rated_topic": topic})
        return f"/{FEEDBACK}"


def domain_intents(path: Path = DOMAIN_FILE) -> frozenset[str]:
    """The intents domain.yml lists (a name, or a mapping of a name to its options)."""
    listed = yaml.safe_load(path.read_text(encoding="utf-8")).get("intents") or []
    return frozenset(item if isinstance(item, str) else next(iter(item)) for item in listed)


@lru_cache(maxsize=1)
def load_commands() -> Commands:
    return Commands(intents=domain_intents(), kb=load_knowledge())

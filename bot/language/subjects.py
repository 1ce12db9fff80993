"""Roles, schemes, networks and benefits named with a typo: "pay for a paralegel".

The entity ruler (bot/language/build.py) finds the knowledge file's phrases as they are
written, so a misspelt name gives no entity and the question would be answered for its
topic in general ("what's the pay like for a paralegel" with the pay of every grade). Here
the one-word names of the knowledge file's roles, schemes, networks and benefits (their
titles and phrases) are matched with the typos bot.language.words forgives on its own
words. A word that is English as it stands is left alone: the entity ruler read it.
"""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache

from bot.knowledge import KnowledgeBase, load_knowledge
from bot.language.words import _deletions, _typo_depth, english_words, words_of


class SubjectNames:
    """Finds the entries whose one-word names a message misspells."""

    def __init__(self, kb: KnowledgeBase):
        self.names: set[str] = set()
        self.neighbours: dict[str, set[str]] = defaultdict(set)
        for entry in kb.entries.values():
            if not entry.kind:
                continue
            for name in [entry.title, *entry.phrases]:
                words = words_of(name)
                if len(words) != 1:
                    continue
                self.names.add(words[0])
                for deletion in _deletions(words[0], _typo_depth(words[0])):
                    self.neighbours[deletion].add(entry.id)

    def misspelt(self, text: str) -> list[str]:
        """Entry ids, in the order the message names them; a typo that could be the
        name of two entries names neither."""
        found: list[str] = []
        for word in words_of(text):
            if word in self.names or word in english_words() or not _typo_depth(word):
                continue
            ids: set[str] = set()
            for deletion in _deletions(word, _typo_depth(word)):
                ids |= self.neighbours.get(deletion, set())
            if len(ids) == 1 and (only := ids.pop()) not in found:
                found.append(only)
        return found


@lru_cache(maxsize=1)
def subject_names() -> SubjectNames:
    return SubjectNames(load_knowledge())

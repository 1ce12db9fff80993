"""Terms of the knowledge file that a question may ask about: "does the CPS pay for the LPC?"

Some things visitors ask about have no entry of their own: courses, bodies and schemes
written as abbreviations in the answers (LPC, CPE, CILEX, RASSO...). They are read from
the knowledge file's texts: a word in capitals that a few entries use (not one most of
them use, like CPS), that is no entry's phrase (those are entities already) and that is
no English word as well ("LPC", not "UK" or "STAR", which say too little). A question
names one when it has the word, in any case.
"""

from __future__ import annotations

import re
from functools import lru_cache

from bot.knowledge import KnowledgeBase, load_knowledge
from bot.language.words import english_words, words_of

TERM = re.compile(r"\b[A-Z][A-Z0-9]{1,5}\b")
MOST = 0.25  # a term used by more than this share of the entries says nothing particular


class Terms:
    def __init__(self, kb: KnowledgeBase):
        phrases = {p.lower() for e in kb.entries.values() for p in [e.title, *e.phrases]}
        used: dict[str, list[str]] = {}
        for entry in kb.entries.values():
            for text in entry_texts(entry):
                for term in TERM.findall(text):
                    ids = used.setdefault(term, [])
                    if entry.id not in ids:
                        ids.append(entry.id)
        self.entries = {
            term: ids
            for term, ids in used.items()
            if len(ids) <= len(kb.entries) * MOST
            and term.lower() not in phrases
            and term.lower() not in english_words()
        }

    def named(self, text: str) -> list[str]:
        """The knowledge file's terms the question names, in the order it names them."""
        typed = words_of(text)
        return sorted(
            (term for term in self.entries if term.lower() in typed),
            key=lambda term: typed.index(term.lower()),
        )


def entry_texts(entry) -> list[str]:  # noqa: ANN001 (an Entry)
    blocks = [entry.pay.answer if entry.pay else None, entry.apply.answer if entry.apply else None]
    return [text for text in [entry.answer, entry.detail, *blocks] if text]


@lru_cache(maxsize=1)
def knowledge_terms() -> Terms:
    return Terms(load_knowledge())

"""Rank knowledge entries for a question the classifier was not sure about.

A small lexical search over the knowledge file: spaCy lemmas of each entry's
title and visitor phrases (weighted up) and of its answer, scored with inverse
document frequency, plus a strong boost for entries whose phrases the entity
ruler found in the question. Good enough to offer two or three likely topics.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from functools import lru_cache

import spacy
from spacy.language import Language

from bot.knowledge import KnowledgeBase, load_knowledge
from bot.language import PIPELINE_DIR

HEADLINE_WEIGHT = 3.0  # title and phrases say what an entry is about
ENTITY_BOOST = 5.0


def lemmas(nlp: Language, text: str) -> list[str]:
    doc = nlp(text.lower())
    return [
        token.lemma_ or token.lower_
        for token in doc
        if token.is_alpha and not token.is_stop and len(token) > 1
    ]


class KnowledgeSearch:
    def __init__(self, kb: KnowledgeBase, nlp: Language):
        self.kb = kb
        self.nlp = nlp
        self.weights: dict[str, Counter] = {}
        document_frequency: Counter = Counter()
        for entry in kb.entries.values():
            weights: Counter = Counter()
            headline = " ".join([entry.title, *entry.phrases])
            for lemma in lemmas(nlp, headline):
                weights[lemma] += HEADLINE_WEIGHT
            for lemma in lemmas(nlp, entry.answer):
                weights[lemma] += 1.0
            self.weights[entry.id] = weights
            document_frequency.update(weights.keys())
        total = len(self.weights)
        self.idf = {
            lemma: math.log(1 + total / count) for lemma, count in document_frequency.items()
        }

    def rank(self, question: str, limit: int = 3) -> list[tuple[str, float]]:
        """Entry ids with a positive score, best first."""
        doc = self.nlp(question.lower())
        scores: dict[str, float] = defaultdict(float)
        for ent in doc.ents:
            if ent.ent_id_ in self.weights:
                scores[ent.ent_id_] += ENTITY_BOOST
        query = lemmas(self.nlp, question)
        for entry_id, weights in self.weights.items():
            for lemma in query:
                if lemma in weights:
                    scores[entry_id] += math.log(1 + weights[lemma]) * self.idf[lemma]
        ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)
        return [(entry_id, score) for entry_id, score in ranked if score > 0][:limit]


@lru_cache(maxsize=1)
def default_search() -> KnowledgeSearch:
    """The search over the knowledge file with the built pipeline, loaded once."""
    return KnowledgeSearch(load_knowledge(), spacy.load(PIPELINE_DIR))


def merge_rankings(*rankings: Iterable[tuple[str, float]], limit: int = 3) -> list[str]:
    """Combine rankings by reciprocal rank, so scores on different scales can mix."""
    combined: dict[str, float] = defaultdict(float)
    for ranking in rankings:
        for position, (item, _score) in enumerate(ranking):
            combined[item] += 1.0 / (position + 1)
    return [item for item, _ in sorted(combined.items(), key=lambda kv: -kv[1])][:limit]

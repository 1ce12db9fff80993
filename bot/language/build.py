"""Build the careers spaCy pipeline from the knowledge file.

The pipeline is a blank English tokenizer, a lookup lemmatizer (tables from the
pinned `spacy-lookups-data` package, saved inside the pipeline so nothing is
fetched at run time) and an entity ruler whose patterns are the visitor phrases
of the knowledge entries, of the pointers to jobs elsewhere, and the office places.
Patterns match on lemmas, so "crown prosecutors" finds the "crown prosecutor" entry.

    python -m bot.language.build [output_dir]
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

import spacy
from spacy.language import Language

from bot.knowledge import KnowledgeBase, load_knowledge
from bot.language import PIPELINE_DIR

PLACE_LABEL = "place"
ELSEWHERE_LABEL = "elsewhere"
ABBREVIATION_LENGTH = 5  # "SCP", "NBCPA": matched as written, not lemmatised


def entity_patterns(nlp: Language, kb: KnowledgeBase) -> Iterable[dict]:
    """One pattern per visitor phrase; the pattern id carries the entry id.

    Phrases match on lemmas, so "crown prosecutors" finds "crown prosecutor".
    Abbreviations match on the exact lower-case word instead: the lemma table
    turns "cps" into "cp", which must not read as "CP" (crown prosecutor).
    """
    for kind, phrases in kb.phrases_by_kind().items():
        for phrase, entry_id in phrases.items():
            # Rasa lower-cases text before spaCy (case_sensitive: false), so do the same.
            words = nlp.make_doc(phrase.lower())
            if len(words) == 1 and len(phrase) <= ABBREVIATION_LENGTH:
                pattern: object = [{"LOWER": words[0].lower_}]
            else:
                pattern = phrase.lower()
            yield {"label": kind, "pattern": pattern, "id": entry_id}


def elsewhere_patterns(nlp: Language, kb: KnowledgeBase) -> Iterable[dict]:
    """The phrases of the pointers to jobs outside the CPS, as the entity `elsewhere`.

    Matched word for word, not on lemmas: the lemma of "'m" is "be", and "I'm a
    police officer" (where a visitor is now) must not read as "be a police officer".
    """
    for pointer in kb.elsewhere:
        for phrase in pointer.phrases:
            tokens = [{"LOWER": token.lower_} for token in nlp.make_doc(phrase.lower())]
            yield {"label": ELSEWHERE_LABEL, "pattern": tokens, "id": pointer.id}


def place_patterns(nlp: Language, kb: KnowledgeBase) -> Iterable[dict]:
    """Places match on the lower-case word, not the lemma: "Reading" is not "read"."""
    for place in kb.places:
        tokens = [{"LOWER": token.lower_} for token in nlp.make_doc(place.lower())]
        yield {"label": PLACE_LABEL, "pattern": tokens, "id": place}


def add_plural_lemmas(nlp: Language, kb: KnowledgeBase) -> int:
    """Teach the lemma table the plurals of knowledge-file words it does not know.

    The lookup table has "prosecutors" but not "pupillages" or "paralegals";
    without these, a plural in a question would miss its entry's patterns.
    """
    table = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_lookup")
    added = 0
    for phrases in kb.phrases_by_kind().values():
        for phrase in phrases:
            for word in phrase.lower().split():
                plural = f"{word}s"
                known = plural in table or word.endswith("s")
                if word.isalpha() and len(word) > 3 and not known:
                    table[plural] = word
                    added += 1
    return added


def build_pipeline(kb: KnowledgeBase) -> Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    ruler = nlp.add_pipe(
        "entity_ruler",
        config={"phrase_matcher_attr": "LEMMA", "overwrite_ents": True},
    )
    nlp.initialize()  # loads the lemma lookup table before the patterns are lemmatised
    add_plural_lemmas(nlp, kb)
    ruler.add_patterns(
        [*entity_patterns(nlp, kb), *elsewhere_patterns(nlp, kb), *place_patterns(nlp, kb)]
    )
    nlp.meta["name"] = "careers"
    nlp.meta["description"] = "CPS careers: lemmas and entity patterns from the knowledge file"
    return nlp


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else PIPELINE_DIR
    nlp = build_pipeline(load_knowledge())
    nlp.to_disk(out)
    patterns = len(nlp.get_pipe("entity_ruler").patterns)
    print(f"spaCy pipeline with {patterns} entity patterns written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

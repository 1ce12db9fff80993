"""Build the careers spaCy pipeline from the knowledge file.

The pipeline is a blank English tokenizer, a lookup lemmatizer (tables from the
pinned `spacy-lookups-data` package, saved inside the pipeline so nothing is
fetched at run time) and an entity ruler whose patterns are the visitor phrases
of the knowledge entries, of the pointers to jobs elsewhere, and the office places.
Patterns match on lemmas, so "crown prosecutors" finds the "crown prosecutor" entry.
The phrases are the English and the Welsh ones (each `cy.phrases`), the Welsh in the
forms visitors type them: without accents, without the article, mutated.

    python -m bot.language.build [output_dir]
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

import spacy
from spacy.language import Language

from bot.knowledge import KnowledgeBase, load_knowledge
from bot.knowledge.welsh import WELSH
from bot.language import PIPELINE_DIR
from bot.language.mutations import mutated_forms
from bot.language.words import english_words, without_accents

PLACE_LABEL = "place"
ELSEWHERE_LABEL = "elsewhere"
ABBREVIATION_LENGTH = 5  # "SCP", "NBCPA": matched as written, not lemmatised
WELSH_ARTICLES = ("y ", "yr ")


def visitor_phrases(item) -> list[str]:
    """The words visitors use for an entry or pointer: its English phrases, then its Welsh
    ones in the forms Welsh visitors type them (welsh_forms)."""
    english = list(item.phrases)
    welsh = [form for phrase in item.words("phrases", WELSH) for form in welsh_forms(phrase)]
    return list(dict.fromkeys([*english, *welsh]))


def welsh_forms(phrase: str) -> list[str]:
    """A Welsh phrase as written, without its accents ("ymuno a'r heddlu"), without its
    article ("swyddfa gartref" in "ydy'r Swyddfa Gartref"), and with its first word
    mutated ("gwmnïau cyfreithiol", "nghaerdydd"). A single word that is also English
    is left out unless written so: "gig" is a job in English, not the NHS."""
    forms = [phrase, without_accents(phrase)]
    forms += [form.split(" ", 1)[1] for form in forms if form.startswith(WELSH_ARTICLES)]
    forms += [mutated for form in forms for mutated in mutated_forms(form)]
    english = english_words()
    return [f for f in dict.fromkeys(forms) if f == phrase or " " in f or f not in english]


def entity_patterns(nlp: Language, kb: KnowledgeBase) -> Iterable[dict]:
    """One pattern per visitor phrase; the pattern id carries the entry id.

    Phrases match on lemmas, so "crown prosecutors" finds "crown prosecutor".
    Abbreviations match on the exact lower-case word instead: the lemma table
    turns "cps" into "cp", which must not read as "CP" (crown prosecutor).
    """
    for entry in kb.entries.values():
        if not entry.kind:
            continue
        for phrase in visitor_phrases(entry):
            # Rasa lower-cases text before spaCy (case_sensitive: false), so do the same.
            words = nlp.make_doc(phrase.lower())
            if len(words) == 1 and len(phrase) <= ABBREVIATION_LENGTH:
                pattern: object = [{"LOWER": words[0].lower_}]
            else:
                pattern = phrase.lower()
            yield {"label": entry.kind, "pattern": pattern, "id": entry.id}


def elsewhere_patterns(nlp: Language, kb: KnowledgeBase) -> Iterable[dict]:
    """The phrases of the pointers to jobs outside the CPS, as the entity `elsewhere`.

    Matched word for word, not on lemmas: the lemma of "'m" is "be", and "I'm a
    police officer" (where a visitor is now) must not read as "be a police officer".
    """
    for pointer in kb.elsewhere:
        for phrase in visitor_phrases(pointer):
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

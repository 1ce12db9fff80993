"""Build the careers spaCy pipeline from the knowledge file.

The pipeline is a blank English tokenizer, a lookup lemmatizer (tables from the
pinned `spacy-lookups-data` package, saved inside the pipeline so nothing is
fetched at run time) and an entity ruler whose patterns are the visitor phrases
of the knowledge entries and the office places. Patterns match on lemmas, so
"crown prosecutors" finds the "crown prosecutor" entry.

    python -m bot.language.build [output_dir]
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Iterable

import spacy
from spacy.language import Language

from bot.knowledge import KnowledgeBase, load_knowledge
from bot.language import PIPELINE_DIR

PLACE_LABEL = "place"


def entity_patterns(kb: KnowledgeBase) -> Iterable[dict]:
    """One phrase pattern per visitor phrase; the pattern id carries the entry id."""
    for kind, phrases in kb.phrases_by_kind().items():
        for phrase, entry_id in phrases.items():
            # Rasa lower-cases text before spaCy (case_sensitive: false), so do the same.
            yield {"label": kind, "pattern": phrase.lower(), "id": entry_id}
    for place in kb.places:
        yield {"label": PLACE_LABEL, "pattern": place.lower(), "id": place}


def build_pipeline(kb: KnowledgeBase) -> Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    ruler = nlp.add_pipe(
        "entity_ruler",
        config={"phrase_matcher_attr": "LEMMA", "overwrite_ents": True},
    )
    nlp.initialize()  # loads the lemma lookup table before the patterns are lemmatised
    ruler.add_patterns(list(entity_patterns(kb)))
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

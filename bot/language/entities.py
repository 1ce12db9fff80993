"""Rasa NLU component: entities from the careers spaCy pipeline's entity ruler.

Rasa's own SpacyEntityExtractor reports the matched text as the value. We want
the knowledge entry id (the pattern id), so that "SCP", "senior crown
prosecutors" and "senior prosecutor" all arrive as `senior-crown-prosecutor`.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.extractors.spacy_entity_extractor import SpacyEntityExtractor
from rasa.nlu.utils.spacy_utils import SpacyModel
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.language.understanding import TYPED_DOC, TYPED_TEXT


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR,
    is_trainable=False,
    model_from="SpacyNLP",
)
class KnowledgeEntityExtractor(SpacyEntityExtractor):
    """Reports entity-ruler matches with the knowledge entry id as the value."""

    def process(self, messages: list[Message], model: SpacyModel) -> list[Message]:
        for message in messages:
            # The whole message as typed, not only its question (bot.language.understanding):
            # "I'm in the LTS. What does it pay?" is about the scheme.
            text = message.get(TYPED_TEXT) or message.get(TEXT) or ""
            # The patterns are lower-cased lemmas; str.lower() keeps offsets for
            # almost all text, and entities whose offsets drift are dropped below.
            doc = model.model(text.lower())
            message.set(TYPED_DOC, doc)  # the understanding checks read the same doc
            found = self.add_extractor_name(self._entities(doc, len(text)))
            message.set(ENTITIES, message.get(ENTITIES, []) + found, add_to_output=True)
        return messages

    @staticmethod
    def _entities(doc: Any, text_length: int) -> list[dict[str, Any]]:
        return [
            {
                "entity": ent.label_,
                "value": ent.ent_id_ or ent.text,
                "start": ent.start_char,
                "end": ent.end_char,
                "confidence": None,
            }
            for ent in doc.ents
            if ent.end_char <= text_length
        ]

"""Rasa NLU components that read a message the way a person would, around the classifier.

`QuestionFocus` runs first: it gives the classifier the question in a message
(bot.language.reading), without the greeting, thanks, small talk and background.

`UnderstandingChecks` runs after the classifier and before the FallbackClassifier,
so the tracker, the console and every action see its final intent and confidence:

1. a message not made of words ("poiuytrewq", "...") gets no topic (bot.language.words);
2. a topic whose premise the visitor denies ("I'm not qualified") gives way to the
   next likeliest, and entities inside a denial are dropped (bot.language.negation);
3. danger, abuse, a crime or distress: the signposting topic, unless the message is
   also clearly a careers question, which is then answered after the signposting
   (bot.language.safety);
4. a job or help outside the CPS ("how do I become a magistrate"): out-of-scope, whose
   reply points to the right place (the knowledge file's `elsewhere` pointers).

What it found is kept in the message's `understanding` (no visitor text in it), with
the classifier's own answer when a check changed it. The visitor's text is restored,
so the actions and the tracker store see what was typed.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, get_args

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.utils.spacy_utils import SpacyModel
from rasa.shared.nlu.constants import (
    ENTITIES,
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from spacy.language import Language
from spacy.tokens import Doc

from bot.knowledge import KNOWLEDGE_FILE, ROUTE_FINDER, KnowledgeBase, load_knowledge
from bot.knowledge.schema import Kind
from bot.language import reading, wording
from bot.language.build import ELSEWHERE_LABEL
from bot.language.negation import NegationReader, denied_positions
from bot.language.reading import QuestionReader
from bot.language.safety import (
    DANGER,
    DISTRESS,
    REPORT_A_CRIME,
    SIGNPOSTING_TOPICS,
    UNSURE,
    SafetyCheck,
    signposting_topic,
)
from bot.language.wording import LANGUAGE_FILE, Background, Wording, default_wording
from bot.language.words import Vocabulary, words_of

TYPED_TEXT = "typed_text"  # the message as typed, while TEXT holds its question
TYPED_DOC = "typed_doc"  # its spaCy doc, lower-cased, made once by the entity extractor
UNDERSTANDING = "understanding"  # what the checks found, in the parse data
OUT_OF_SCOPE = "out-of-scope"
SUBJECT_KINDS = get_args(Kind)  # role, scheme, network, benefit
VOCABULARY_FILE = "vocabulary.json"
# "I'm a / I've been a / I work as a police officer": where the visitor is, not where
# they want to go ("I want to be a judge"). Looked for among the words before a job; the
# words themselves are in bot/data/language.yml (`background`).
BACKGROUND_WINDOW = 6


def files_fingerprint(*paths: Path) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def is_command(text: str) -> bool:
    """Button payloads ("/pupillage", "/feedback{...}") are not read as language."""
    return text.startswith("/")


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER,
    is_trainable=False,
)
class QuestionFocus(GraphComponent):
    """Gives the classifier the question in a message; keeps the text as typed."""

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> QuestionFocus:
        return cls(QuestionReader(default_wording()))

    def __init__(self, reader: QuestionReader):
        self.reader = reader

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str:
        # The training examples are read with these word lists and this reader: when they
        # change, Rasa's training cache must not reuse what was learned from the old reading.
        return files_fingerprint(LANGUAGE_FILE, Path(reading.__file__), Path(wording.__file__))

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        # Training examples are read the same way, so the classifier learns on what it sees.
        for example in training_data.training_examples:
            self._focus(example)
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            self._focus(message)
        return messages

    def _focus(self, message: Message) -> None:
        text = message.get(TEXT)
        if not text or is_command(text):
            return
        message.set(TYPED_TEXT, text)
        question = self.reader.question(text)
        if question:
            message.set(TEXT, question)


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER,
    is_trainable=True,
    model_from="SpacyNLP",
)
class UnderstandingChecks(GraphComponent):
    """Checks the classifier's answer against what the message says (see the module)."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            # A careers topic is kept beside the safety signposting from this confidence.
            "careers_confidence": 0.8,
            # From this confidence in a CPS topic, a job elsewhere named in passing is
            # a comparison, not the question.
            "elsewhere_confidence": 0.95,
            # Below this (the FallbackClassifier's threshold) a message will not be
            # answered: if it is about the visitor and not about careers, it may be
            # someone in trouble in words no cue has, so the signposting goes first.
            "unsure_confidence": 0.5,
        }

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> UnderstandingChecks:
        return cls({**cls.get_default_config(), **config}, model_storage, resource, [])

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        domain_words: list[str],
        kb: KnowledgeBase | None = None,
        wording: Wording | None = None,
    ):
        self.config = config
        self.model_storage = model_storage
        self.resource = resource
        self.kb = kb or load_knowledge()
        self.wording = wording or default_wording()
        self.domain_words = domain_words
        self.vocabulary = Vocabulary(domain_words, self.wording.fillers)
        self.negation = NegationReader(self.wording.negation)
        # The route finder is a careers topic too, though the knowledge file has no entry.
        self.careers_topics = set(self.kb.entries) - set(SIGNPOSTING_TOPICS) | {ROUTE_FINDER}
        self._safety: SafetyCheck | None = None  # needs the spaCy pipeline: made on first use

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str:
        # The vocabulary learned in `train` includes the knowledge file's words.
        return files_fingerprint(KNOWLEDGE_FILE)

    def train(self, training_data: TrainingData, model: SpacyModel) -> Resource:
        """Learn the words of the training data and the knowledge file (for the word check).

        (`model`, the spaCy pipeline, is what Rasa gives a component that reads it.)
        """
        words: set[str] = set(words_of(self.kb.path.read_text(encoding="utf-8")))
        for example in training_data.training_examples:
            words.update(words_of(example.get(TYPED_TEXT) or example.get(TEXT) or ""))
        self.domain_words = sorted(words)
        self.vocabulary = Vocabulary(self.domain_words, self.wording.fillers)
        with self.model_storage.write_to(self.resource) as folder:
            (folder / VOCABULARY_FILE).write_text(json.dumps(self.domain_words), encoding="utf-8")
        return self.resource

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> UnderstandingChecks:
        with model_storage.read_from(resource) as folder:
            words = json.loads((folder / VOCABULARY_FILE).read_text(encoding="utf-8"))
        return cls({**cls.get_default_config(), **config}, model_storage, resource, words)

    def process(self, messages: list[Message], model: SpacyModel) -> list[Message]:
        for message in messages:
            typed = message.get(TYPED_TEXT)
            if typed is None:
                continue  # a command, or no text
            focused = message.get(TEXT) != typed
            message.set(TEXT, typed)  # the visitor's words, for the actions and the tracker
            found = self.check(message, typed, model.model)
            if focused:
                found["question_read"] = True
            message.set(UNDERSTANDING, found, add_to_output=True)
        return messages

    def check(self, message: Message, text: str, nlp: Language) -> dict[str, Any]:
        """Apply the checks to a message the classifier has scored; what was found."""
        found: dict[str, Any] = {}
        ranking = list(message.get(INTENT_RANKING_KEY) or [])
        classified = dict(message.get(INTENT) or {})

        if not self.vocabulary.count(text).made_of_words:
            found["made_of_words"] = False
            _decide(message, None, [], classified, found, "not words")
            return found

        doc = message.get(TYPED_DOC) or nlp(text.lower())
        denials = self.negation.denials(doc)
        self._drop_denied_entities(message, doc, denied_positions(denials))
        denied = self.negation.denied_topics(doc, denials)
        if denied:
            found["denied"] = sorted(denied)
            ranking = [item for item in ranking if item.get(INTENT_NAME_KEY) not in denied]

        safety = self._safety_check(nlp)
        situations = safety.situations(doc, denials)
        if not situations and safety.only_denied(doc, denials):
            # "I'm not a crime victim, I just want a job": denied, so not a signposting topic.
            found["denied_safety"] = True
            ranking = [item for item in ranking if _name(item) not in SIGNPOSTING_TOPICS]
            denied.update(SIGNPOSTING_TOPICS)
        top = ranking[0] if ranking else None
        pointers = self._jobs_elsewhere(message, doc)
        if situations:
            found["safety"] = sorted(situations)
            chosen = self._safety_topic(situations, top, message, doc)
            certain = chosen not in self.careers_topics
            _decide(message, chosen, ranking, classified, found, "safety", certain)
        elif pointers and self._elsewhere_wins(top, doc):
            found["elsewhere"] = pointers[0]
            _decide(message, OUT_OF_SCOPE, ranking, classified, found, "elsewhere", True)
        elif denied:
            _decide(message, _name(top), ranking, classified, found, "negation")
        elif self._personal_and_unclear(top, message, doc, pointers):
            found["safety"] = [UNSURE]  # the intent stands: a fallback, led by the signposting
        return found

    def _safety_check(self, nlp: Language) -> SafetyCheck:
        if self._safety is None:
            if self.kb.safety is None:
                self._safety = SafetyCheck(nlp, {})
            else:
                personal = self.wording.personal_words
                self._safety = SafetyCheck.from_knowledge(nlp, self.kb.safety, personal)
        return self._safety

    def _safety_topic(
        self, situations: set[str], top: dict | None, message: Message, doc: Doc
    ) -> str:
        """The signposting topic, or a careers topic the message clearly also asks about.

        A past crime the classifier is sure is a victim's question about their case
        ("I was attacked last year and it still hasn't gone to court") keeps the
        classifier's signposting topic: every signposting reply starts with 999 anyway,
        and the cues alone cannot tell a crime now from a case under way. Danger and
        distress always lead to report-a-crime."""
        name, confidence = _name(top), _confidence(top)
        sure = confidence >= self.config["careers_confidence"]
        if sure and name in self.careers_topics and self._asks_about_careers(message, doc):
            return name
        cued = signposting_topic(situations)
        past_crime = cued == REPORT_A_CRIME and not situations & {DANGER, DISTRESS}
        return name if sure and past_crime and name in SIGNPOSTING_TOPICS else cued

    def _personal_and_unclear(
        self, top: dict | None, message: Message, doc: Doc, pointers: list[str]
    ) -> bool:
        """Will not be answered, speaks of the visitor or someone close, asks nothing
        about careers: "my daughter hasn't come home and isn't answering her phone"."""
        if _confidence(top) >= self.config["unsure_confidence"] or pointers:
            return False
        personal = any(token.lower_ in self.wording.personal_words for token in doc)
        return personal and not self._asks_about_careers(message, doc)

    def _asks_about_careers(self, message: Message, doc: Doc) -> bool:
        if _entity_values(message, SUBJECT_KINDS):
            return True
        return _contains_any(doc, self.wording.careers_words)

    def _elsewhere_wins(self, top: dict | None, doc: Doc) -> bool:
        """A job elsewhere, unless the message names the CPS or is surely a CPS question
        ("is the pay good compared to a law firm?")."""
        if _contains_any(doc, self.wording.cps_names):
            return False
        sure = _confidence(top) >= self.config["elsewhere_confidence"]
        return not (_name(top) in self.careers_topics and sure)

    def _jobs_elsewhere(self, message: Message, doc: Doc) -> list[str]:
        """Pointers to jobs outside the CPS that the visitor asks about.

        Not where the visitor is now: in "I've been a defence solicitor for six years"
        the job elsewhere is background, and the question is about joining the CPS; nor
        a comparison ("is the pension better than at a law firm?").
        """
        found = []
        for entity in message.get(ENTITIES) or []:
            if entity.get("entity") != ELSEWHERE_LABEL:
                continue
            before = [token for token in doc if token.idx < entity["start"]][-BACKGROUND_WINDOW:]
            lemmas = [token.lemma_ for token in before]
            after = [token.lemma_ for token in doc if token.idx >= entity["end"]]
            background = _says_where_i_am(
                lemmas, self.wording.background, set(self.wording.question_openers)
            ) or _said_after(after, self.wording.background)
            if not background and not set(self.wording.comparison) & set(lemmas):
                found.append(entity["value"])
        return found

    @staticmethod
    def _drop_denied_entities(message: Message, doc: Doc, denied: set[int]) -> None:
        """ "I'm not a crown prosecutor, what does an AP earn?" is not about crown prosecutors."""
        if not denied:
            return
        spans = [(doc[i].idx, doc[i].idx + len(doc[i])) for i in denied]
        kept = [
            entity
            for entity in message.get(ENTITIES) or []
            if not any(entity["start"] < end and start < entity["end"] for start, end in spans)
        ]
        message.set(ENTITIES, kept, add_to_output=True)


def _name(item: dict | None) -> str | None:
    return item.get(INTENT_NAME_KEY) if item else None


def _confidence(item: dict | None) -> float:
    return float(item.get(PREDICTED_CONFIDENCE_KEY) or 0.0) if item else 0.0


def _entity_values(message: Message, kinds: tuple[str, ...]) -> list[str]:
    return [
        entity["value"]
        for entity in message.get(ENTITIES) or []
        if entity.get("entity") in kinds and isinstance(entity.get("value"), str)
    ]


def _says_where_i_am(lemmas: list[str], background: Background, openers: set[str]) -> bool:
    """ "i be", "i have be", "i work", "currently", "dwi'n": a description, unless a wish
    follows ("i be hope to become") or it is asked ("sut dwi'n ymuno â'r heddlu?")."""
    if set(background.now) & set(lemmas):
        return True
    wishes = set(background.wishes)
    for marker in background.i_am:
        words = marker.split()
        for position in range(len(lemmas) - len(words) + 1):
            if position and lemmas[position - 1] in openers:
                continue
            if lemmas[position : position + len(words)] == words:
                if not wishes & set(lemmas[position + len(words) :]):
                    return True
    return False


def _said_after(lemmas: list[str], background: Background) -> bool:
    """ "cyfreithiwr teulu ydw i": the job, then that it is the visitor's; not "nyrs dw i
    isio bod" (a nurse is what I want to be)."""
    for marker in background.i_am_after:
        words = marker.split()
        if lemmas[: len(words)] == words:
            return not set(background.wishes) & set(lemmas[len(words) : len(words) + 2])
    return False


def _contains_any(doc: Doc, phrases: list[str]) -> bool:
    words = [token.lower_ for token in doc]
    lemmas = [token.lemma_ for token in doc]
    for phrase in phrases:
        wanted = phrase.split()
        size = len(wanted)
        for start in range(len(words) - size + 1):
            if words[start : start + size] == wanted or lemmas[start : start + size] == wanted:
                return True
    return False


def _decide(
    message: Message,
    intent: str | None,
    ranking: list[dict],
    classified: dict,
    found: dict[str, Any],
    reason: str,
    certain: bool = False,
) -> None:
    """Set the message's intent, keeping the classifier's own answer when it changed.

    A topic a check is `certain` of has confidence 1 and stands alone in the ranking (so
    the FallbackClassifier cannot find it ambiguous); one left to the ranking keeps the
    classifier's confidence. No intent (a message not made of words) has confidence 0,
    so the FallbackClassifier after this sends it to the fallback.
    """
    kept = next((item for item in ranking if _name(item) == intent), None)
    confidence = 1.0 if certain else _confidence(kept)
    decided = {INTENT_NAME_KEY: intent, PREDICTED_CONFIDENCE_KEY: confidence}
    if intent is None:
        ranking = []
    elif certain:
        ranking = [decided]  # the check decided: the classifier's own answer is in `found`
    else:
        ranking = [decided, *(item for item in ranking if _name(item) != intent)]
    if intent != classified.get(INTENT_NAME_KEY):
        found["classified"] = {
            "name": classified.get(INTENT_NAME_KEY),
            "confidence": round(_confidence(classified), 4),
        }
        found["changed_by"] = reason
    message.set(INTENT, decided, add_to_output=True)
    message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)

"""A second intent classifier whose opinion is averaged with DIET's.

DIET and a logistic regression over the same sparse features make different mistakes:
DIET learns from word order and sub-words together, the regression weighs each word and
character n-gram on its own. Where they agree the average stays confident; where they
disagree it drops, so the FallbackClassifier's threshold asks the visitor instead of
answering the wrong topic. Weights and regularisation are chosen on the development set
(docs/understanding.md).

Safety first: for a signposting topic (a crime, a victim or witness, a complaint about a
case) the surer of the two counts, not the average. A word-level regression reads
"the way your prosecutors treated my family was shameful" as a question about
prosecutors; DIET's confident complaint must not be averaged away into a fallback.

It must run after DIETClassifier (it reads DIET's full ranking: DIET's `ranking_length`
is 0) and before UnderstandingChecks and the FallbackClassifier, which see the average.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from rasa.utils.tensorflow.constants import RANKING_LENGTH

from bot.language.safety import SIGNPOSTING_TOPICS


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class AveragedIntentClassifier(LogisticRegressionClassifier):
    """Logistic regression on the sentence's sparse features, averaged with DIET."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            **LogisticRegressionClassifier.get_default_config(),
            "max_iter": 1000,
            # Inverse regularisation strength of the regression.
            "C": 1.0,
            # The regression's share of the average; DIET has the rest.
            "weight": 0.5,
        }

    def __init__(self, config: dict[str, Any], *args: Any) -> None:
        super().__init__(config, *args)
        self.clf.C = self.config["C"]

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        # Rasa's regression labels the training examples with its own predictions here,
        # which would overwrite their true intents for every component after it.
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        classified = [message for message in messages if message.get(INTENT_RANKING_KEY)]
        if not classified:
            return messages
        probabilities = self.clf.predict_proba(self._create_X(classified))
        weight = self.config["weight"]
        names = [str(name) for name in self.clf.classes_]
        for message, row in zip(classified, probabilities, strict=True):
            regression = dict(zip(names, row.tolist(), strict=True))
            diet = {
                item[INTENT_NAME_KEY]: item[PREDICTED_CONFIDENCE_KEY]
                for item in message.get(INTENT_RANKING_KEY)
            }
            averaged = {
                name: combined(name, diet.get(name, 0.0), regression.get(name, 0.0), weight)
                for name in diet.keys() | regression.keys()
            }
            ranking = [
                {INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: confidence}
                for name, confidence in sorted(averaged.items(), key=lambda item: -item[1])
            ]
            message.set(INTENT, ranking[0], add_to_output=True)
            shown = ranking[: self.config[RANKING_LENGTH] or None]
            message.set(INTENT_RANKING_KEY, shown, add_to_output=True)
        return messages


def combined(intent: str, diet: float, regression: float, weight: float) -> float:
    if intent in SIGNPOSTING_TOPICS:
        return max(diet, regression)
    return (1 - weight) * diet + weight * regression

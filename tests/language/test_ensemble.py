"""The regression averaged with DIET: on hand-made sentence features, so each case is clear."""

import numpy as np
import pytest
import scipy.sparse
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.language.ensemble import AveragedIntentClassifier

# Two "words": the first means salary, the second pension.
SALARY, PENSION = [1.0, 0.0], [0.0, 1.0]


def featured(text: str, vector: list[float], intent: str | None = None) -> Message:
    message = Message(data={TEXT: text, **({INTENT: intent} if intent else {})})
    matrix = scipy.sparse.coo_matrix(np.array([vector]))
    message.add_features(Features(matrix, "sentence", TEXT, "test"))
    return message


@pytest.fixture(scope="module")
def classifier(tmp_path_factory):
    storage = LocalModelStorage(tmp_path_factory.mktemp("ensemble"))
    resource = Resource("averaged")
    context = ExecutionContext(GraphSchema({}), node_name="averaged")
    component = AveragedIntentClassifier.create({}, storage, resource, context)
    examples = [featured(f"s{i}", SALARY, "salary") for i in range(5)]
    examples += [featured(f"p{i}", PENSION, "pension") for i in range(5)]
    component.train(TrainingData(examples))
    return AveragedIntentClassifier.load({}, storage, resource, context)


def diet_says(message: Message, ranking: dict[str, float]) -> Message:
    items = [{"name": n, "confidence": c} for n, c in ranking.items()]
    message.set(INTENT, items[0])
    message.set(INTENT_RANKING_KEY, items)
    return message


def test_the_confidence_is_the_average_of_both_classifiers(classifier):
    message = diet_says(featured("how much is the pay", SALARY), {"pension": 0.7, "salary": 0.3})
    regression = dict(zip(classifier.clf.classes_, classifier.clf.predict_proba(
        classifier._create_X([message]))[0], strict=True))
    assert regression["salary"] > 0.5  # the regression disagrees with DIET here

    classifier.process([message])

    ranking = {item["name"]: item["confidence"] for item in message.get(INTENT_RANKING_KEY)}
    assert ranking == pytest.approx({
        "salary": (0.3 + regression["salary"]) / 2,
        "pension": (0.7 + regression["pension"]) / 2,
    })
    assert message.get(INTENT)["name"] == max(ranking, key=ranking.get)
    assert [i["confidence"] for i in message.get(INTENT_RANKING_KEY)] == sorted(
        ranking.values(), reverse=True)


def test_an_intent_only_diet_ranked_keeps_its_share(classifier):
    message = diet_says(featured("tell me", SALARY), {"greeting": 0.8, "salary": 0.2})
    classifier.process([message])
    ranking = {item["name"]: item["confidence"] for item in message.get(INTENT_RANKING_KEY)}
    assert ranking["greeting"] == pytest.approx(0.4)


def test_training_examples_keep_their_own_intents(classifier):
    examples = [featured("s", SALARY, "pension")]  # the regression would say salary
    classifier.process_training_data(TrainingData(examples))
    assert examples[0].get(INTENT) == "pension"


def test_a_message_no_classifier_ranked_is_left_alone(classifier):
    message = featured("/pupillage", SALARY)
    classifier.process([message])
    assert message.get(INTENT_RANKING_KEY) is None


def test_a_signposting_topic_keeps_the_surer_classifiers_confidence(classifier):
    message = diet_says(featured("treated my family shamefully", SALARY),
                        {"case-enquiry-or-complaint": 0.8, "salary": 0.2})
    classifier.process([message])
    assert message.get(INTENT) == {"name": "case-enquiry-or-complaint", "confidence": 0.8}

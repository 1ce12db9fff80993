"""The understanding components, on messages as the classifier leaves them."""

import pytest
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.utils.spacy_utils import SpacyModel
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.language.entities import KnowledgeEntityExtractor
from bot.language.understanding import (
    TYPED_TEXT,
    UNDERSTANDING,
    QuestionFocus,
    UnderstandingChecks,
)

TRAINING = [
    "what does a crown prosecutor earn",
    "how many days holiday do staff get",
    "how do I become a magistrate",
    "I want to report a crime",
]


@pytest.fixture(scope="module")
def spacy_model(nlp):
    return SpacyModel(model=nlp, model_name="careers")


@pytest.fixture(scope="module")
def checks(tmp_path_factory, spacy_model):
    storage = LocalModelStorage(tmp_path_factory.mktemp("model"))
    resource = Resource("understanding_checks")
    component = UnderstandingChecks.create({}, storage, resource, None)
    component.train(TrainingData([Message(data={TEXT: t}) for t in TRAINING]), spacy_model)
    return UnderstandingChecks.load({}, storage, resource, None)


@pytest.fixture(scope="module")
def focus():
    return QuestionFocus.create({}, None, None, None)


def classified(nlp, focus, text, ranking):
    """A message as DIET leaves it: read by QuestionFocus, entities found, intents ranked."""
    message = Message(data={TEXT: text})
    focus.process([message])
    doc = nlp(text.lower())
    items = [{"name": name, "confidence": confidence} for name, confidence in ranking]
    message.set(ENTITIES, KnowledgeEntityExtractor._entities(doc, len(text)))
    message.set(INTENT, items[0] if items else {"name": None, "confidence": 0.0})
    message.set(INTENT_RANKING_KEY, items)
    return message


def run(checks, spacy_model, message):
    checks.process([message], spacy_model)
    return message.get(INTENT), message.get(UNDERSTANDING)


@pytest.fixture
def understand(nlp, focus, checks, spacy_model):
    """What the checks make of a text the classifier ranked so: (intent, understanding)."""

    def understand(text: str, ranking: list[tuple[str, float]]):
        return run(checks, spacy_model, classified(nlp, focus, text, ranking))

    return understand


def test_the_vocabulary_learned_in_training_is_loaded(checks):
    assert "magistrate" in checks.domain_words
    assert checks.vocabulary.is_word("prosecuter")  # a typo of a training word


def test_the_classifier_sees_the_question_and_the_actions_see_the_text_as_typed(
    nlp, focus, checks, spacy_model
):
    text = "Hi there! Lovely site. How many days of annual leave do staff get?"
    message = classified(nlp, focus, text, [("annual-leave", 0.97)])
    assert message.get(TEXT) == "How many days of annual leave do staff get?"
    intent, found = run(checks, spacy_model, message)
    assert message.get(TEXT) == text
    assert message.get(TYPED_TEXT) == text
    assert intent == {"name": "annual-leave", "confidence": 0.97}
    assert found == {"question_read": True}


def test_keyboard_mash_gets_no_intent_however_sure_the_classifier_was(
    nlp, focus, checks, spacy_model
):
    message = classified(nlp, focus, "qwzx lkjhgf", [("security-checks", 0.99)])
    intent, found = run(checks, spacy_model, message)
    assert intent == {"name": None, "confidence": 0.0}
    assert message.get(INTENT_RANKING_KEY) == []
    assert found["made_of_words"] is False
    assert found["classified"] == {"name": "security-checks", "confidence": 0.99}


def test_a_denied_premise_gives_way_to_the_next_topic(understand):
    text = "I'm a receptionist and not qualified in law, how could I start prosecuting?"
    ranking = [("qualified-lawyer-entry", 0.7), ("prosecutor-pathways", 0.2)]
    intent, found = understand(text, ranking)
    assert intent == {"name": "prosecutor-pathways", "confidence": 0.2}
    assert found["denied"] == ["go-prosecute", "qualified-lawyer-entry"]
    assert found["changed_by"] == "negation"


def test_an_entity_inside_a_denial_is_dropped(nlp, focus, checks, spacy_model):
    text = "not a crown advocate question, what does a paralegal officer earn"
    message = classified(nlp, focus, text, [("salary", 0.9)])
    run(checks, spacy_model, message)
    assert [e["value"] for e in message.get(ENTITIES)] == ["paralegal-officer"]


def test_a_safety_message_gets_its_signposting_topic_whatever_the_classifier_said(understand):
    text = "my stepbrother keeps threatening me and i'm scared to go out"
    intent, found = understand(text, [("flexible-working", 0.93)])
    assert intent == {"name": "report-a-crime", "confidence": 1.0}
    assert set(found["safety"]) >= {"crime", "danger"}
    assert found["classified"]["name"] == "flexible-working"


def test_a_decision_to_challenge_goes_to_the_complaints_route(understand):
    text = "the man who mugged me was never charged, the cps dropped the case"
    intent, found = understand(text, [("report-a-crime", 0.8)])
    assert intent["name"] == "case-enquiry-or-complaint"
    assert "decision" in found["safety"]


def test_a_clear_careers_question_is_kept_beside_the_signposting(understand):
    text = "I was assaulted years ago. Would that stop me getting a job as a paralegal?"
    intent, found = understand(text, [("security-checks", 0.91)])
    assert intent == {"name": "security-checks", "confidence": 0.91}
    assert found["safety"] == ["crime"]


def test_a_way_into_prosecuting_is_a_careers_question_beside_the_signposting(understand):
    text = "I gave evidence in court for years as a detective, how do I get into prosecuting?"
    intent, found = understand(text, [("pathway-finder", 0.95)])
    assert intent == {"name": "pathway-finder", "confidence": 0.95}
    assert found["safety"] == ["victim"]


def test_a_victim_asking_about_their_case_keeps_the_victims_answer(understand):
    # A crime in the past, and the classifier sure it is a victim's question: its topic.
    text = "I was attacked last year and the case still hasn't gone to court, who can tell me why"
    intent, found = understand(text, [("victims-and-witnesses", 0.86)])
    assert intent == {"name": "victims-and-witnesses", "confidence": 1.0}
    assert "crime" in found["safety"]
    # Unsure, it is the cue's topic; and danger now is always a crime to report.
    intent, _ = understand(text, [("victims-and-witnesses", 0.6)])
    assert intent["name"] == "report-a-crime"
    danger = "he attacked me last year and now he's outside my house again"
    intent, found = understand(danger, [("victims-and-witnesses", 0.95)])
    assert intent["name"] == "report-a-crime"
    assert "danger" in found["safety"]


def test_following_an_organisation_is_not_being_followed(understand):
    intent, found = understand(
        "I've been following the CPS on LinkedIn, what does a prosecutor do day to day?",
        [("crown-prosecutor", 0.7)],
    )
    assert intent["name"] == "crown-prosecutor"
    assert "safety" not in found
    intent, found = understand("i think i'm being followed home", [("locations", 0.4)])
    assert intent["name"] == "report-a-crime"
    assert "danger" in found["safety"]


@pytest.mark.parametrize(
    "text",
    [
        "I was cautioned for shoplifting at 16, would it show up in the pre-employment checks?",
        "Ges i rybudd am ddwyn o siop yn 16 oed. Fydd e'n broblem yn y gwiriadau cyn cyflogi?",
    ],
)
def test_an_old_caution_asked_about_in_vetting_keeps_the_vetting_answer(understand, text):
    intent, found = understand(text, [("security-checks", 0.95)])
    assert intent == {"name": "security-checks", "confidence": 0.95}
    assert "crime" in found["safety"]  # the signposting still leads the reply


def test_a_personal_message_not_understood_and_not_about_careers_is_signposted(understand):
    # No cue covers it: only "about the visitor, not about careers, not understood" does.
    text = "my brother has been acting really strange with me since last week"
    intent, found = understand(text, [("locations", 0.31)])
    assert found["safety"] == ["unsure"]
    assert intent == {"name": "locations", "confidence": 0.31}  # the fallback still decides


@pytest.mark.parametrize(
    ("text", "confidence"),
    [
        ("my brother has been acting really strange with me since last week", 0.62),  # understood
        ("could my daughter apply for a job with you", 0.31),  # about careers
        ("what is the weather like in leeds", 0.2),  # not about the visitor
        ("ga i ymgeisio am swydd gyda chi", 0.3),  # about careers, in Welsh
        ("fyddai'r gyflog yn ddigon i fi", 0.3),  # a mutated Welsh careers word
    ],
)
def test_understood_careers_or_impersonal_messages_are_not_unsure(understand, text, confidence):
    _, found = understand(text, [("locations", confidence)])
    assert "safety" not in found


def test_a_job_elsewhere_is_out_of_scope(understand):
    text = "what do I need to do to join the police"
    intent, found = understand(text, [("how-to-apply", 0.75)])
    assert intent == {"name": "out-of-scope", "confidence": 1.0}
    assert found["elsewhere"] == "police"


@pytest.mark.parametrize(
    ("text", "pointer"),
    [
        ("how do I get a job with the Welsh Government?", "welsh-government"),
        ("are there council jobs near me", "local-councils"),
        ("how do I apply to work for the council", "local-councils"),
        ("where can I do pupillage at a criminal chambers?", "barristers-in-chambers"),
    ],
)
def test_more_jobs_elsewhere_are_out_of_scope(understand, text, pointer):
    intent, found = understand(text, [("how-to-apply", 0.6)])
    assert intent == {"name": "out-of-scope", "confidence": 1.0}
    assert found["elsewhere"] == pointer


def test_a_question_naming_the_cps_is_about_the_cps(understand):
    text = "is working at the cps like working for the met police"
    intent, found = understand(text, [("values-and-culture", 0.6)])
    assert intent["name"] == "values-and-culture"
    assert "elsewhere" not in found


def test_commands_are_not_read(nlp, focus, checks, spacy_model):
    message = Message(data={TEXT: '/feedback{"rating": "up"}'})
    focus.process([message])
    checks.process([message], spacy_model)
    assert message.get(TEXT) == '/feedback{"rating": "up"}'
    assert message.get(UNDERSTANDING) is None


def test_a_denied_safety_situation_is_not_signposted(understand):
    text = "I am not a crime victim, I am asking about jobs. What roles do you have?"
    ranking = [("victims-and-witnesses", 0.6), ("roles-overview", 0.3)]
    intent, found = understand(text, ranking)
    assert intent["name"] == "roles-overview"
    assert found["denied_safety"] is True
    assert "safety" not in found


def test_a_job_elsewhere_in_a_comparison_is_not_the_question(understand):
    text = "are the holidays better than at a law firm"
    intent, found = understand(text, [("annual-leave", 0.8)])
    assert intent["name"] == "annual-leave"
    assert "elsewhere" not in found


def test_a_job_elsewhere_the_visitor_has_now_is_background(understand):
    text = "I've been a prison officer for ten years, could I retrain as a lawyer with you?"
    intent, found = understand(text, [("prosecutor-pathways", 0.7)])
    assert intent["name"] == "prosecutor-pathways"
    assert "elsewhere" not in found


@pytest.mark.parametrize(
    ("text", "pointer"),
    [
        ("dwi isio ymuno â'r heddlu", "police"),
        ("dwi isio ymuno a'r heddlu", "police"),  # typed without the accent
        ("Dwi isio gweithio i'r GIG fel nyrs, alla i wneud cais fan hyn?", "nhs"),
        ("oes swyddi gyda Llywodraeth Cymru?", "welsh-government"),
        ("sut dwi'n ymgeisio am waith efo Llywodraeth Cymru?", "welsh-government"),
        ("sut mae cael swydd yng Nghyngor Sir Gwynedd?", "local-councils"),
        ("ydy'r Asiantaeth Troseddu Genedlaethol yn recriwtio?", "civil-service"),
        ("sut mae cael swydd yn CThEF?", "civil-service"),
        ("dwi isio gweithio i gwmni cyfreithiol preifat", "solicitors-in-practice"),
    ],
)
def test_a_job_elsewhere_asked_about_in_welsh_is_out_of_scope(understand, text, pointer):
    intent, found = understand(text, [("how-to-apply", 0.6)])
    assert intent == {"name": "out-of-scope", "confidence": 1.0}
    assert found["elsewhere"] == pointer


@pytest.mark.parametrize(
    "text",
    [
        "dwi'n nyrs ers deng mlynedd, sut alla i ddod yn erlynydd?",
        "dw i'n gweithio fel nyrs, oes ffordd i mewn i erlyn?",
        "dwi wedi bod yn heddwas ers pum mlynedd, sut dwi'n dod yn erlynydd?",
        "Nyrs ydw i ers deng mlynedd, sut alla i ddod yn erlynydd?",
        "fi'n glerc i gwmni cyfreithiol preifat, alla i symud at erlyn?",
        "ar ôl wyth mlynedd fel cyfreithiwr preifat, ble fyswn i'n dechrau efo chi?",
        "I studied law in Scotland, which way into prosecuting in England suits me?",
    ],
)
def test_a_job_elsewhere_the_visitor_has_now_is_background_in_welsh(understand, text):
    intent, found = understand(text, [("prosecutor-pathways", 0.7)])
    assert intent["name"] == "prosecutor-pathways"
    assert "elsewhere" not in found


@pytest.mark.parametrize(
    "text",
    [
        "dwi'n meddwl ymuno â'r heddlu",
        "I'm hoping to become a police officer",
        "sut dwi'n ymuno â'r heddlu?",
        "I'm applying to join the police, what do they look for?",
    ],
)
def test_a_wish_after_i_am_is_not_background(understand, text):
    intent, found = understand(text, [("how-to-apply", 0.6)])
    assert found["elsewhere"] == "police"


def test_a_welsh_job_named_first_then_wished_for_is_not_background(understand):
    intent, found = understand("nyrs dw i isio bod, sut mae cael swydd?", [("how-to-apply", 0.6)])
    assert found["elsewhere"] == "nhs"


def test_welsh_knowledge_phrases_name_their_entry(nlp):
    doc = nlp("faint mae uwch erlynydd y goron yn ennill")
    assert [(e.label_, e.ent_id_) for e in doc.ents] == [("role", "senior-crown-prosecutor")]


def test_an_english_word_in_a_welsh_phrase_list_does_not_read_english_as_welsh(nlp):
    # "gig" is the NHS in Welsh (GIG) and a job in English slang: only "y gig" and the
    # like name the NHS.
    assert not nlp("looking for a gig at the cps").ents


def test_rasa_retrains_what_follows_when_the_word_lists_or_the_knowledge_change(
    tmp_path, monkeypatch
):
    # Rasa's training cache keys a component by its code and config; the word lists and
    # the knowledge file shape what these components produce, so they are in the key too.
    from rasa.engine.training.fingerprinting import calculate_fingerprint_key

    from bot.language import understanding
    from bot.language.understanding import QuestionFocus, UnderstandingChecks

    before = {c: calculate_fingerprint_key(c, {}, {}) for c in (QuestionFocus, UnderstandingChecks)}
    for name in ("LANGUAGE_FILE", "KNOWLEDGE_FILE"):
        changed = tmp_path / name
        changed.write_bytes(getattr(understanding, name).read_bytes() + b"\n# changed\n")
        monkeypatch.setattr(understanding, name, changed)
    after = {c: calculate_fingerprint_key(c, {}, {}) for c in (QuestionFocus, UnderstandingChecks)}
    assert all(before[c] != after[c] for c in before)

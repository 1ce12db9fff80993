"""The safety check finds danger, crime, distress, victims and decisions in everyday words."""

import pytest

from bot.language.negation import NegationReader
from bot.language.safety import SafetyCheck, signposting_topic


@pytest.fixture(scope="module")
def check(nlp, kb, wording):
    return SafetyCheck.from_knowledge(nlp, kb.safety, wording.personal_words)


@pytest.fixture(scope="module")
def negation(wording):
    return NegationReader(wording.negation)


def situations(nlp, check, negation, text):
    doc = nlp(text.lower())
    return check.situations(doc, negation.denials(doc))


@pytest.mark.parametrize(
    ("message", "topic"),
    [
        ("my flatmate keeps threatening me", "report-a-crime"),
        ("im really frightened of my brother", "report-a-crime"),
        ("there's someone trying the handle of my back door and I'm terrified", "report-a-crime"),
        ("my ex stalks me on instagram", "report-a-crime"),
        ("i honestly can't cope any more", "report-a-crime"),
        ("my nan got scammed out of her savings", "report-a-crime"),
        ("my sister has gone missing and her phone is off", "report-a-crime"),
        ("someone took out a credit card in my name", "report-a-crime"),
        ("i honestly can't take it anymore", "report-a-crime"),
        ("I'm a witness for the prosecution next month and dreading it", "victims-and-witnesses"),
        ("my son was beaten up and has to give evidence", "victims-and-witnesses"),
        ("the cps decided not to charge the man who robbed me", "case-enquiry-or-complaint"),
        ("they dropped the case against my stalker", "case-enquiry-or-complaint"),
        # a complaint about how the CPS handled a case counts on its own
        ("the prosecutor treated my mum like a liar and we will lodge a complaint",
         "case-enquiry-or-complaint"),
        ("dwi am wneud cwyn swyddogol am sut driniodd y cps fy achos", "case-enquiry-or-complaint"),
        # a crime the visitor is watching, done to a stranger
        ("a group of lads is mugging people by the station", "report-a-crime"),
        ("I just saw a man hit a woman in the street", "report-a-crime"),
        ("some guys are robbing the shop across the road", "report-a-crime"),
        # someone kept somewhere against their will
        ("my friend is being kept in a flat by her boyfriend", "report-a-crime"),
        ("he locked me in the bedroom again last night", "report-a-crime"),
        # a hit and run
        ("a driver knocked my dad off his bike and drove off", "report-a-crime"),
        ("my mum was hit by a car and the driver didn't stop", "report-a-crime"),
        # a child kept or taken by a parent
        ("my ex won't give my baby back", "report-a-crime"),
        ("my ex won't return the kids", "report-a-crime"),
        ("her dad refuses to bring our son back after the weekend", "report-a-crime"),
        # hate graffiti and damage to a home
        ("people keep spray painting horrible things on our front door", "report-a-crime"),
        ("someone keyed my car and slashed my tyres", "report-a-crime"),
        # an adult contacting a child in secret
        ("her swimming coach keeps sending her messages late at night", "report-a-crime"),
        # an account taken over
        ("someone took over my instagram and is asking my friends for money", "report-a-crime"),
        ("my whatsapp was taken over and they're asking my contacts to send money",
         "report-a-crime"),
        # a child exploited by older youths
        ("older boys are making my son carry packages for them", "report-a-crime"),
        ("i think my son is involved in county lines", "report-a-crime"),
        # a victim with no news after reporting
        ("I reported that I was assaulted months ago and heard nothing", "victims-and-witnesses"),
        ("i reported it to the police and have heard nothing since", "victims-and-witnesses"),
        # the police passing on a decision not to charge
        ("the police said the cps won't charge him", "case-enquiry-or-complaint"),
        ("the police told me the cps won't take it to court", "case-enquiry-or-complaint"),
        # Welsh
        ("dwi'n clywed rhywun yn torri i mewn", "report-a-crime"),
        ("dwi'n clywed rhywun yn malu ffenest lawr grisiau", "report-a-crime"),
        ("cafodd fy mab ei ladd ac mae'r treial yn dechrau wythnos nesaf", "victims-and-witnesses"),
        ("dwi newydd weld dyn yn taro menyw yn y stryd", "report-a-crime"),
        ("gwnaeth gyrrwr daro fy nhad oddi ar ei feic a gyrrodd i ffwrdd", "report-a-crime"),
        ("mae fy nghyn yn gwrthod rhoi'r plant yn ôl", "report-a-crime"),
        ("mae pobl yn chwistrellu pethau cas ar ein drws ffrynt", "report-a-crime"),
        ("mae rhywun wedi hacio fy nghyfrif ac yn gofyn i fy ffrindiau am arian", "report-a-crime"),
        ("mae bechgyn hŷn yn gwneud i fy mab gario pecynnau", "report-a-crime"),
        ("rhoddais wybod i'r heddlu fy mod wedi cael fy nghuro a dwi heb glywed dim",
         "victims-and-witnesses"),
        ("dywedodd yr heddlu na fydd y cps yn cyhuddo", "case-enquiry-or-complaint"),
        # Welsh, from tests/e2e/safety_phrasings_dev_cy.yml: north and south forms,
        # mutations, no accents, English words
        ("mae fy ngwr yn fy nharo pan mae o wedi meddwi", "report-a-crime"),
        ("ma rhywun yn trio agor drws cefn ni a dwi ar ben fy hun", "report-a-crime"),
        ("mae cymydog wedi deud bydd o'n llosgi'n ty ni lawr", "report-a-crime"),
        ("mae dyn ar snapchat yn gofyn i'n merch 12 oed am lunie", "report-a-crime"),
        ("mae rhywun wedi dwgyd beic y mab o'r sied", "report-a-crime"),
        ("ffoniodd rhywun yn esgus bod o'r banc a nawr mae'r cyfri yn wag", "report-a-crime"),
        ("ma pobl yn gweiddi pethau cas am fy hijab ar y bws", "report-a-crime"),
        ("ma car wedi bod yn dilyn fi adre o'r gwaith ers dyddie", "report-a-crime"),
        ("dwi'n teimlo fel bod dim pwynt i ddim byd bellach", "report-a-crime"),
        ("dwi di bod yn torri fy hun eto", "report-a-crime"),
        ("rhaid i fi roi tystiolaeth yn erbyn fy nghyn-bartner a dwi'n crynu",
         "victims-and-witnesses"),
        ("mae teulu ni wedi colli dad ar ol i rywun ymosod arno fo, pwy sy'n gallu'n helpu ni "
         "drwy'r achos", "victims-and-witnesses"),
        ("nath y cps ollwng y cyhuddiad yn erbyn gwr mam, allwn ni apelio",
         "case-enquiry-or-complaint"),
        ("dywedodd yr heddlu bod y cps ddim am fynd a fe i'r llys, dwi isio herio hynna",
         "case-enquiry-or-complaint"),
    ],
)
def test_everyday_words_for_danger_and_crime_are_found(nlp, check, negation, message, topic):
    found = situations(nlp, check, negation, message)
    assert found, message
    assert signposting_topic(found) == topic


@pytest.mark.parametrize(
    "message",
    [
        "I'm not a victim of anything, I just want a job",
        "does the cps prosecute fraud cases",
        "is there a seat in crime during the training contract",
        "what does the national crime agency do",
        "would a witness care officer job suit me",
        "I've been following the CPS on LinkedIn for a while, what jobs come up?",
        "is the work emotionally demanding",
    ],
)
def test_careers_questions_and_denials_are_not_safety_messages(nlp, check, negation, message):
    assert situations(nlp, check, negation, message) == set()


def test_a_single_word_counts_only_about_the_visitor_or_someone_close(nlp, check, negation):
    assert situations(nlp, check, negation, "my cousin got mugged last night") == {"crime"}
    assert situations(nlp, check, negation, "how are muggings prosecuted") == set()


def test_a_decision_counts_only_beside_another_situation(nlp, check, negation):
    found = situations(nlp, check, negation, "my neighbour punched me and was only cautioned")
    assert {"crime", "decision"} <= found
    assert signposting_topic(found) == "case-enquiry-or-complaint"
    assert situations(nlp, check, negation, "can I appeal if my application is rejected") == set()
    assert situations(nlp, check, negation, "how do I challenge a decision on my sift") == set()


def test_a_charging_decision_counts_on_its_own(nlp, check, negation):
    found = situations(nlp, check, negation, "the police said the cps decided not to charge")
    assert found == {"charging"}
    assert signposting_topic(found) == "case-enquiry-or-complaint"


@pytest.mark.parametrize(
    "message",
    [
        "he says he'll hurt the kids",
        "she threatened to kill my little brother",
        "my flatmate keeps hitting his girlfriend",
        "they said they would attack us",
        "he tried to shove her down the stairs",
        "a lad tried to drag my sister into a car",
    ],
)
def test_a_verb_of_harm_with_a_person_as_object_is_danger(nlp, check, negation, message):
    assert "danger" in situations(nlp, check, negation, message)


@pytest.mark.parametrize(
    "message",
    [
        "would a speeding ticket hurt my chances",
        "will working part time hurt my career",
        "does the cps deal with people who hit police officers",
        "I hurt, and I want a new job",
        "would the cps push me to work long hours",
        "could I push myself into a senior role quickly",
    ],
)
def test_harm_to_a_thing_or_a_possessive_is_not_danger(nlp, check, negation, message):
    assert "danger" not in situations(nlp, check, negation, message)


def test_a_cue_that_holds_its_own_negation_counts(nlp, check, negation):
    assert situations(nlp, check, negation, "I don't feel safe walking home") == {"danger"}


def test_the_most_specific_situation_chooses_the_topic():
    assert signposting_topic({"crime", "decision"}) == "case-enquiry-or-complaint"
    assert signposting_topic({"danger", "victim"}) == "victims-and-witnesses"
    assert signposting_topic({"distress"}) == "report-a-crime"


def test_a_message_whose_every_cue_is_denied_is_recognised(nlp, check, negation):
    doc = nlp("i'm not a victim or a witness, just curious about jobs")
    assert check.only_denied(doc, negation.denials(doc))
    doc = nlp("i'm not a lawyer but my neighbour threatened me")
    assert not check.only_denied(doc, negation.denials(doc))


@pytest.mark.parametrize(
    "message",
    [
        "do you prosecute muggings?",
        "what does a crown prosecutor do in assault cases",
        "how long does vetting take",
        "does the cps prosecute county lines cases",
        "i'd like to work on county lines cases",
        "i'd like to work on cases about graffiti and vandalism",
        "i applied months ago and heard nothing",
        "I can't get into my account to finish my application",
        "will the job involve carrying packages between offices",
        "can i take my kids to the assessment centre",
        "the rejection knocked my confidence, should i reapply",
        "my interview ran over by 20 minutes",
        "can i apply using my account from the old portal",
        "how do prosecutors decide whether a case goes to court",
        "hoffwn i weithio ar achosion llinellau sirol",
        "dwi heb glywed dim am fy nghais",
        "ydych chi'n erlyn achosion llofruddiaeth?",
        "alla i fynd â fy ffôn i'r cyfweliad?",
        "ydy erlynwyr yn gorfod mynd i'r llys bob dydd?",
        "oes rhaid i fi roi tystiolaeth o fy ngradd?",
        "dwi'n poeni bod dim pwynt gwneud cais heb radd",
        "alla i gario ymlaen gyda fy nghais ar ôl y dyddiad cau?",
        "sut mae'r cps yn delio â thwyll ar-lein?",
        "fydd rhywun yn fy helpu drwy'r broses ymgeisio?",
        "oes rhaid i fi ddilyn cwrs cyn gwneud cais?",
        "dwi wedi talu am gwrs cyfraith, ydy hynny'n cyfri?",
    ],
)
def test_careers_questions_with_the_same_words_are_not_safety_messages(
    nlp, check, negation, message
):
    assert situations(nlp, check, negation, message) == set()

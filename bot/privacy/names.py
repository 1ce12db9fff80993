"""Names that a visitor gives explicitly ("my name is ...", "call me ...").

Names are found with a spaCy ``Matcher`` on a ``spacy.blank("en")`` tokenizer:
tokens are the natural unit here (a name is one to three words after a
trigger phrase, stopping at punctuation, a line break or a word such as "and"
or "i"), and spaCy's tokenizer already splits "I'm" / "Im" / "I’m" into
"I" + "'m", detaches trailing punctuation and gives us its English stop-word
list. There is no statistical NER: only explicit name-giving phrases count.

Trigger phrases and what may follow them:

* explicit ("my name is", "my name's", "my full/first/last name is",
  "my surname is", "Name: ..."): any name-shaped word, lower or capitalised.
  A capitalised stop word is accepted ("My name is Will"), a lower-case one
  is not ("my name is not important").
* call ("call me", "I'm called", "I'm known as", "I go by"): as above, but
  stop words and words like "back", "tomorrow", "asap" never count, so
  "call me back" is untouched.
* weak ("I'm", "I am", "this is", sign-offs such as "Kind regards," or
  "Thanks, ..."): only Capitalised words that are not stop words, common
  adjectives ("British", "Interested") or careers vocabulary ("Legal Trainee
  Scheme"). "I'm 25" and "I'm interested" are untouched. In lower case, only
  when the first word is a common given name (``given_names.py``): "im sarah
  jones" is a name, "im applying" is not.
* sign-offs that also start other sentences ("Yours, ...", "Best, ...",
  "Best wishes, ..."): as weak, but only at the start of the message or of a line
  or sentence.
* "... here": one to three name words before "here" at the start of a sentence,
  or after "it's" or a greeting: "Sarah Jones here", "It's Sarah here", "hi, sarah
  here". Capitalised, or a common given name in lower case.

Memory and privacy: spaCy's vocabulary keeps every token string it has seen.
The pipeline is therefore rebuilt after ``MAX_DOCS`` documents so names do
not pile up in process memory, and it only ever sees text from which emails,
phone, card and NI numbers, postcodes and dates have already been removed.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from typing import Any

from bot.privacy.given_names import GIVEN_NAMES

NAME = "name"
PLACEHOLDER = "[name]"

Span = tuple[int, int, str, str]

# Policies for what may follow a trigger.
_EXPLICIT = "EXPLICIT"
_FIELD = "FIELD"  # "Name: Jane" - explicit, but only at the start of a line/sentence
_CALL = "CALL"
_WEAK = "WEAK"
_SIGN_OFF = "SIGN_OFF"  # weak, but only where a sentence or line starts

MAX_NAME_TOKENS = 3
MAX_DOCS = 5000

_PRECHECK = re.compile(
    r"(?<![a-z])(?:names?|surname|forenames?|firstname|lastname|fullname|call(?:ed)?|named|known|go"
    r"|i|im|this|regards|sincerely|faithfully|wishes|thanks|thank|cheers|yours|best|here)(?![a-z])",
    re.IGNORECASE,
)

_I_AM = ["'m", "’m", "m", "am"]
_NAME_ADJ = [
    "full",
    "first",
    "last",
    "middle",
    "real",
    "given",
    "christian",
    "legal",
    "preferred",
    "family",
    "maiden",
]
_NAME_NOUNS = [
    "name",
    "names",
    "surname",
    "surnames",
    "forename",
    "forenames",
    "firstname",
    "lastname",
    "fullname",
]

_PATTERNS = {
    _EXPLICIT: [
        [
            {"LOWER": "my"},
            {"LOWER": {"IN": _NAME_ADJ}, "OP": "?"},
            {"LOWER": {"IN": _NAME_NOUNS}},
            {"LOWER": {"IN": ["is", "'s", "’s", "=", ":", "-", "was"]}},
        ],
        [{"LOWER": "my"}, {"LOWER": {"IN": _NAME_ADJ}, "OP": "?"}, {"LOWER": "names"}],
    ],
    _FIELD: [
        [
            {"LOWER": {"IN": _NAME_ADJ}, "OP": "?"},
            {"LOWER": {"IN": _NAME_NOUNS}},
            {"ORTH": {"IN": [":", "=", "-", "–"]}},
        ],
    ],
    _CALL: [
        [{"LOWER": "i"}, {"LOWER": {"IN": _I_AM}}, {"LOWER": {"IN": ["called", "named"]}}],
        [{"LOWER": "im"}, {"LOWER": {"IN": ["called", "named"]}}],
        [{"LOWER": "i"}, {"LOWER": {"IN": _I_AM}}, {"LOWER": "known"}, {"LOWER": "as"}],
        [{"LOWER": "im"}, {"LOWER": "known"}, {"LOWER": "as"}],
        [{"LOWER": "call"}, {"LOWER": "me"}],
        [{"LOWER": "i"}, {"LOWER": "go"}, {"LOWER": "by"}],
    ],
    _WEAK: [
        [{"LOWER": "i"}, {"LOWER": {"IN": _I_AM}}],
        [{"LOWER": "im"}],
        [{"LOWER": "this"}, {"LOWER": "is"}],
        [
            {"LOWER": {"IN": ["regards", "sincerely", "faithfully", "wishes", "thanks", "cheers"]}},
            {"IS_PUNCT": True, "OP": "?"},
        ],
        [{"LOWER": "thank"}, {"LOWER": "you"}, {"IS_PUNCT": True, "OP": "?"}],
        [{"LOWER": "many"}, {"LOWER": "thanks"}, {"IS_PUNCT": True, "OP": "?"}],
    ],
    _SIGN_OFF: [
        [
            {"LOWER": {"IN": ["yours", "best"]}},
            {"LOWER": {"IN": ["sincerely", "faithfully", "truly", "wishes"]}, "OP": "?"},
            {"IS_PUNCT": True, "OP": "?"},
        ],
        [{"LOWER": "all"}, {"LOWER": "the"}, {"LOWER": "best"}, {"IS_PUNCT": True, "OP": "?"}],
    ],
}
# Before "... here": where a sentence starts, "it's", "it is" or a greeting.
_GREETINGS = frozenset({"hi", "hello", "hey", "morning", "evening", "afternoon", "its"})

# Tokens skipped between the trigger and the name.
_OPENERS = frozenset({'"', "'", "“", "‘", ":", "-", "–", "—", "=", ","})
_HONORIFICS = frozenset(
    {"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame", "lady", "lord", "rev"}
)

# Never part of a name, whatever the case or trigger.
_CORE_STOP = frozenset(
    """
a an and are am as at be but by for from here i if in is it me my no not of on or so that the
then there this to was were what when which who with you your also because please thanks thank
im hi hello hey ok okay yes nor than
""".split()
)

# Lower-case words after a trigger that are not names (spaCy's stop words are added).
_EXTRA_STOP = frozenset(
    """
today tomorrow tonight later asap anytime sometime soon urgently pls plz thx ty cheers ok okay
yeah yep nope sorry regarding re monday tuesday wednesday thursday friday saturday sunday
morning afternoon evening weekend week mobile landline phone number email via whenever maybe
lol hope just currently interested looking applying hoping trying wondering thinking planning
wanting going working studying doing writing asking calling emailing messaging enquiring
inquiring new back about still really very actually definitely probably only
""".split()
)

# Capitalised words that follow "I'm" / "this is" / "regards" but are not names.
_WEAK_DENY = frozenset(
    """
british english scottish welsh irish northern european american canadian australian indian
pakistani bangladeshi chinese polish romanian nigerian ghanaian jamaican african asian caribbean
black white mixed muslim christian jewish hindu sikh buddhist catholic atheist gay lesbian
bisexual trans deaf blind disabled autistic dyslexic neurodivergent pregnant married single
divorced retired unemployed employed self qualified eligible based living aged able unable
available free fine good great well sure aware worried concerned nervous excited ready done
finished stuck lost late early happy glad keen unsure confused curious interested looking
applying hoping trying wondering thinking planning currently still really very actually
definitely probably only new back sorry thanks thank hi hello hey ok okay yes yeah cool
graduate undergraduate postgraduate student trainee apprentice paralegal solicitor barrister
lawyer caseworker prosecutor officer manager administrator intern volunteer teacher nurse
police dear team way route option thing bit part place
""".split()
)

# Careers vocabulary, never a name after "call me" or a weak trigger.
_DOMAIN = frozenset(
    """
cps crown prosecution prosecutor prosecutors service legal trainee trainees scheme schemes lts
paralegal paralegals officer officers apprentice apprenticeship apprenticeships solicitor
solicitors barrister barristers lawyer lawyers law caseworker caseworkers graduate student
students university college civil servant senior junior associate advocate hq london job jobs
role roles career careers vacancy vacancies application applications interview assessment
pupillage qualified sqe lpc bptc llb gdl
""".split()
)

_NAME_PUNCT = frozenset("'’-.")


def _is_name_token(text: str) -> bool:
    """Letters (any script, with combining marks) and inner ' ’ - . only."""
    if not text or not text[0].isalpha():
        return False
    if not (
        text[-1].isalpha() or text[-1] == "." or unicodedata.category(text[-1]).startswith("M")
    ):
        return False
    previous_punct = False
    for char in text:
        if char.isalpha() or unicodedata.category(char).startswith("M"):
            previous_punct = False
        elif char in _NAME_PUNCT and not previous_punct:
            previous_punct = True
        else:
            return False
    return True


def _case(text: str) -> str:
    if text[0].isupper():
        return "cap"
    if text[0].islower():
        return "lower"
    return "other"  # scripts without case (Arabic, Chinese, ...)


class NameFinder:
    """Thread-safe, lazily built spaCy tokenizer + Matcher for name phrases."""

    def __init__(self, max_docs: int = MAX_DOCS) -> None:
        self._lock = threading.Lock()
        self._max_docs = max_docs
        self._nlp: Any = None
        self._matcher: Any = None
        self._stop_words: frozenset[str] = frozenset()
        self._docs = 0

    def _build(self) -> None:
        import spacy
        from spacy.lang.char_classes import ALPHA, HYPHENS
        from spacy.lang.en.stop_words import STOP_WORDS
        from spacy.matcher import Matcher
        from spacy.util import compile_infix_regex

        nlp = spacy.blank("en")
        # Keep "Smith-Jones" as one token (spaCy splits hyphens between letters).
        hyphen_rule = rf"(?<=[{ALPHA}0-9])(?:{HYPHENS})(?=[{ALPHA}])"
        infixes = [rule for rule in nlp.Defaults.infixes if rule != hyphen_rule]
        nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
        matcher = Matcher(nlp.vocab)
        for label, patterns in _PATTERNS.items():
            matcher.add(label, patterns)
        self._nlp, self._matcher = nlp, matcher
        self._stop_words = frozenset(STOP_WORDS)
        self._docs = 0

    def find(self, text: str) -> list[Span]:
        if not _PRECHECK.search(text):
            return []
        with self._lock:
            if self._nlp is None or self._docs >= self._max_docs:
                self._build()
            self._docs += 1
            doc = self._nlp.make_doc(text)
            found = []
            for match_id, start, end in self._matcher(doc):
                policy = self._nlp.vocab.strings[match_id]
                if policy == _FIELD and start > 0:
                    before = doc[start - 1]
                    if not (before.is_punct or before.is_space):
                        continue
                if policy == _SIGN_OFF and not _starts_sentence(doc, start):
                    continue
                span = self._name_after(doc, end, policy)
                if span is not None:
                    found.append(span)
            found += self._names_before_here(doc)
        return _merge(found)

    def _names_before_here(self, doc: Any) -> list[Span]:
        """ "Sarah Jones here", "It's Sarah here", "hi, sarah here"."""
        found = []
        for here in doc:
            if here.lower_ != "here" or here.i == 0:
                continue
            after = doc[here.i + 1] if here.i + 1 < len(doc) else None
            if after is not None and not (after.is_punct or after.is_space):
                continue
            start = here.i
            while start > 0 and here.i - start < MAX_NAME_TOKENS:
                token = doc[start - 1]
                if not _is_name_token(token.text) or self._stopped(token.text, _WEAK):
                    break
                start -= 1
            names = doc[start : here.i]
            if not names or not self._weak_name_case([t.text for t in names]):
                continue
            if not _opens_introduction(doc, start):
                continue
            found.append((names[0].idx, names[-1].idx + len(names[-1].text), NAME, PLACEHOLDER))
        return found

    @staticmethod
    def _weak_name_case(words: list[str]) -> bool:
        """All Capitalised, or all lower case starting with a common given name."""
        if all(_case(w) == "cap" and not (w.isupper() and len(w) > 1) for w in words):
            return True
        return all(_case(w) == "lower" for w in words) and words[0] in GIVEN_NAMES

    def _name_after(self, doc: Any, i: int, policy: str) -> Span | None:
        n = len(doc)
        while i < n and (doc[i].is_space or doc[i].text in _OPENERS):
            i += 1
        while i < n and doc[i].lower_.rstrip(".") in _HONORIFICS:
            i += 1
            if i < n and doc[i].text == ".":
                i += 1
        names = []
        first_case = ""
        while i < n and len(names) < MAX_NAME_TOKENS:
            token = doc[i]
            if names and token.is_space and "\n" not in token.text:
                i += 1
                continue
            text = token.text
            if not _is_name_token(text) or self._stopped(text, policy):
                break
            case = _case(text)
            if names and case != first_case:
                break
            first_case = first_case or case
            names.append(token)
            i += 1
        if policy in (_WEAK, _SIGN_OFF):
            # Capitalised words, or lower case after a common given name ("im sarah jones").
            while names and not self._weak_name_case([t.text for t in names]):
                names.pop()
        if not names:
            return None
        start = names[0].idx
        end = names[-1].idx + len(names[-1].text)
        return (start, end, NAME, PLACEHOLDER)

    def _stopped(self, text: str, policy: str) -> bool:
        low = text.lower().rstrip(".")
        if low in _CORE_STOP:
            return True
        stop = low in self._stop_words or low in _EXTRA_STOP
        if policy in (_EXPLICIT, _FIELD):
            # Trust an explicit "my name is": "My name is Will" is a name.
            return stop and _case(text) != "cap"
        if low in _DOMAIN or stop:
            return True
        return policy in (_WEAK, _SIGN_OFF) and low in _WEAK_DENY


def _opens_introduction(doc: Any, start: int) -> bool:
    """Where "<name> here" can start: a sentence, a greeting, "it's", "it is"."""
    if _starts_sentence(doc, start) or doc[start - 1].is_punct:
        return True
    before = doc[start - 1].lower_
    if before in _GREETINGS:
        return True
    return before in ("is", "'s", "’s") and start > 1 and doc[start - 2].lower_ == "it"


def _starts_sentence(doc: Any, start: int) -> bool:
    if start == 0:
        return True
    before = doc[start - 1]
    return before.is_space or before.text in (".", "!", "?", ":", ";")


def _merge(spans: list[Span]) -> list[Span]:
    merged: list[Span] = []
    for span in sorted(spans):
        if merged and span[0] < merged[-1][1]:
            last = merged[-1]
            merged[-1] = (last[0], max(last[1], span[1]), last[2], last[3])
        else:
            merged.append(span)
    return merged


FINDER = NameFinder()


def find_names(text: str) -> list[Span]:
    return FINDER.find(text)

"""Reading a visitor's situation from their own words. Pure Python, no Rasa.

Two ways of reading, both driven by the words of the knowledge file's `pathway`
questions (each choice's `phrases`, and its `replies` for direct answers):

    read_answer(pathway, "at_cps", "no, I'm at a law firm")      -> "no"
    read_situation(pathway, "I'm a solicitor with four years in crime")
        -> Situation(answers={"stage": "qualified", "profession": "solicitor",
                              "experience": "2-plus"}, years=4.0)

`read_answer` reads the reply to one question the finder asked, so short replies
count ("yes", "nope", "3"). `read_situation` reads what a message says about the
person, for every question at once. Both understand small typos, numbers written
as words, negation ("not qualified", "never worked in crime", "I don't work for the
CPS") and wishes ("I want to be a barrister" says where someone wants to go, not
where they are).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from bot.knowledge import Pathway
from bot.knowledge.welsh import ENGLISH, WELSH

STAGE = "stage"
EXPERIENCE = "experience"
ADVOCACY = "advocacy"
RIGHT_TO_WORK = "right_to_work"
EXPERIENCED_YEARS = 2  # a rough guide only: the CPS sets no fixed number of years per grade
UNDER, OVER = "under-2", "2-plus"

# When two stages are named, the one that decides the routes most: a solicitor on a
# career break is a returner; someone with a law degree who passed the SQE is on the
# vocational stage; a law graduate working as a paralegal can take either road.
STAGE_PRECEDENCE = (
    "returner",
    "qualified",
    "vocational",
    "law-graduate",
    "university-law",
    "paralegal",
    "school",
    "cps-staff",
    "university-other",
)
# The questions that follow each stage; answers to the others are left out of a
# situation, so "I'm on the bar course" does not also say "a barrister".
FOLLOW_UPS = {
    "vocational": ("course",),
    "qualified": ("profession", EXPERIENCE, ADVOCACY),
    "paralegal": ("at_cps",),
}
ALWAYS = (STAGE, RIGHT_TO_WORK)
# Read only where the visitor says them of themselves, not in a clause that asks.
ABOUT_SELF_ONLY = ("at_cps", ADVOCACY, RIGHT_TO_WORK)

# ---------------------------------------------------------------- words of English

NEGATORS = frozenset(
    "not never dont doesnt didnt isnt arent wasnt werent havent hasnt hadnt wont wouldnt "
    "cant cannot without nor neither non nt".split()
)
NEGATION_WINDOW = 3  # "I'm not really a lawyer": up to three words between
# A negated answer that means the other one ("I don't work for the CPS" -> no).
OPPOSITES = {
    ADVOCACY: {"yes": "no"},
    "at_cps": {"yes": "no"},
    RIGHT_TO_WORK: {"yes": "no"},
    EXPERIENCE: {OVER: UNDER},
}
# Advocacy is read from a statement only when it says how the person feels about it:
# "I love being in court", not "I work at the magistrates' court".
AVERSIONS = frozenset(
    "hate dislike avoid dread scare scares scared scary nervous terrified terrifies".split()
)
FEELINGS = AVERSIONS | frozenset(
    "love like enjoy enjoyed keen interested interest want wanna prefer passion passionate "
    "fancy rather thing".split()
)
CRIME = frozenset("crime criminal crim prosecuting prosecution defence defense".split())
# Years said with one of these are years of practice, not of age or study.
PRACTICE = CRIME | frozenset(
    "practice practise practising practicing practised practiced pqe qualified call called "
    "chambers bar solicitor barrister lawyer advocate experience standing court".split()
)
OTHER_LAW = frozenset(
    "family civil commercial corporate property conveyancing employment immigration "
    "private injury tax probate".split()
)
FIRST_PERSON = frozenset("i im ive id ill my myself".split())
THIRD_PERSON = frozenset(
    "mum mom dad mother father brother sister friend partner wife husband son daughter "
    "parent parents cousin".split()
)
QUESTION_WORDS = frozenset(
    "what how why when where which who whats hows can could do does did is are will would "
    "should tell".split()
)
REJECTIONS = frozenset("no nope nah actually wrong sorry".split())
# "work experience at a solicitors", "I work for a barrister": where, not who.
PEOPLE = frozenset("solicitor solicitors barrister barristers lawyer lawyers counsel".split())
WORKPLACE = frozenset({("at", "a"), ("at", "the"), ("for", "a"), ("for", "the")})
CONTRAST = frozenset("to over than".split())  # "I prefer paperwork to court"
# From any of these to the end of the clause, a message says where someone wants to be.
ASPIRATION = re.compile(
    r"\b(?:wants? to|wanted to|wanting to|wanna|hope to|hoping to|plan to|planning to|"
    r"would like to|id like to|like to be|love to be|aim to|aiming to|going to|gonna|"
    r"trying to|intend to|intending to|dream of|dreaming of|thinking of|thinking about|"
    r"considering|interested in becoming|interested in joining|interested in working|"
    r"become|becoming|to be a|to qualify|qualify as|train as|training to be|get into|"
    r"getting into|join as|apply for|applying for|how do i|how can i|could i|can i|"
    r"should i|would i|what does|how much)\b.*$"
)

# ---------------------------------------------------------------- normalising text


def normalise(text: str) -> str:
    """Lower case, apostrophes dropped ("I'm" -> "im"), everything else but letters
    and digits as spaces ("1.5" keeps its point)."""
    text = text.lower().replace("\u2019", "'").replace("'", "")
    return " ".join(re.findall(r"\d+\.\d+|[a-z0-9]+", text))


def words(text: str) -> list[str]:
    return normalise(text).split()


_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}  # fmt: skip
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50}
_TIME = r"(?:years?|yrs?|months?|decades?)"
_NUMBER_WORDS = [
    (re.compile(r"\b(?:a|one) (?:year|yr) and a half\b"), "1.5 years"),
    (re.compile(r"\bhalf a year\b"), "6 months"),
    (re.compile(r"\b(?:a )?couple of\b"), "2"),
    (re.compile(r"\b(?:a )?few (?=" + _TIME + r")"), "3 "),
    (re.compile(r"\bseveral (?=" + _TIME + r")"), "4 "),
    (re.compile(r"\b(?:a|an) (?=" + _TIME + r"\b(?! \d))"), "1 "),
    (
        re.compile(r"\b(" + "|".join(_TENS) + r")(?: (" + "|".join(list(_UNITS)[1:10]) + r"))?\b"),
        lambda m: str(_TENS[m[1]] + (_UNITS[m[2]] if m[2] else 0)),
    ),
    (re.compile(r"\b(" + "|".join(_UNITS) + r")\b"), lambda m: str(_UNITS[m[1]])),
    (re.compile(r"\b(\d+) and a half\b"), lambda m: f"{m[1]}.5"),
]


def with_digits(text: str) -> str:
    """Numbers written as words as digits: "four years" -> "4 years"."""
    text = normalise(text)
    for pattern, replacement in _NUMBER_WORDS:
        text = pattern.sub(replacement, text)
    return text


_CLAUSE_BREAK = re.compile(r"(?<!\d)[.](?!\d)|[,;:!?()\[\]\n]|\s[-\u2013\u2014]+\s|[\u2013\u2014]")
_CLAUSE_WORDS = re.compile(r"\b(?:but|and|though|although|whereas|however|plus)\b")


def clauses(text: str) -> list[list[str]]:
    """The message in clauses, each a list of words: negation and wishes stop at their end."""
    found = []
    for part in _CLAUSE_BREAK.split(text.lower().replace("\u2019", "'")):
        for clause in _CLAUSE_WORDS.split(with_digits(part)):
            tokens = clause.split()
            if tokens:
                found.append(tokens)
    return found


def strip_wishes(tokens: list[str]) -> list[str]:
    return ASPIRATION.sub(" ", " ".join(tokens)).split()


def asks(tokens: list[str]) -> bool:
    """A clause that asks ("which way into the CPS would suit me")."""
    return bool(tokens) and tokens[0] in QUESTION_WORDS


def looks_like_question(text: str) -> bool:
    first = words(text)[:1]
    return text.strip().endswith("?") or bool(first and first[0] in QUESTION_WORDS)


def about_self(tokens: list[str]) -> bool:
    """A statement about the visitor: first person, not a question, not about family."""
    return (
        bool(tokens)
        and tokens[0] not in QUESTION_WORDS
        and bool(FIRST_PERSON & set(tokens))
        and not THIRD_PERSON & set(tokens)
    )


def describes_self(text: str) -> bool:
    """Does any clause of the message say something about the visitor?"""
    return any(about_self(tokens) for tokens in clauses(text)) and not looks_like_question(text)


def starts_with_rejection(text: str) -> bool:
    first = words(text)[:1]
    return bool(first and first[0] in REJECTIONS)


# ---------------------------------------------------------------- matching phrases


def _distance(a: str, b: str) -> int:
    """Levenshtein distance: how many letters to add, drop or change."""
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b))
            )
        previous = current
    return previous[-1]


@lru_cache(maxsize=65536)
def same_word(typed: str, known: str) -> bool:
    """Equal, or a small typo of a longer word ("barister", "colege", "solicter")."""
    if (
        typed == known
        or typed in (known + "s", known + "es")
        or known in (typed + "s", typed + "es")
    ):
        return True  # and plurals both ways: "trial" for "trials"
    if len(known) < 5 or any(c.isdigit() for c in typed + known):
        return False
    if typed.startswith(known) or known.startswith(typed):
        return False  # another word, not a typo: "casework" is not "caseworker"
    allowed = 1 if len(known) < 8 else 2
    return abs(len(typed) - len(known)) <= allowed and _distance(typed, known) <= allowed


@dataclass(frozen=True)
class Phrase:
    value: str
    tokens: tuple[str, ...]
    weak: bool
    reply: bool  # counts only as a direct reply to its question


@dataclass(frozen=True)
class Match:
    value: str
    start: int
    end: int
    letters: int
    weak: bool
    negated: bool

    @property
    def size(self) -> tuple[int, int]:
        return self.end - self.start, self.letters


_PHRASES: dict[int, tuple[Pathway, dict[str, tuple[Phrase, ...]]]] = {}


def _phrases(pathway: Pathway) -> dict[str, tuple[Phrase, ...]]:
    """Each question's phrases as words, worked out once per knowledge file."""
    cached = _PHRASES.get(id(pathway))
    if cached is not None and cached[0] is pathway:
        return cached[1]
    table = {
        name: tuple(
            Phrase(choice.value, tuple(words(text)), choice.weak, reply)
            for choice in question.choices
            # The Welsh visitors' words (the cy block) are read beside the English ones.
            for reply, field in ((False, "phrases"), (True, "replies"))
            for text in choice.words(field, ENGLISH) + choice.words(field, WELSH)
            if words(text)
        )
        for name, question in pathway.questions.items()
    }
    _PHRASES.clear()  # one knowledge file at a time; a reloaded one replaces it
    _PHRASES[id(pathway)] = (pathway, table)
    return table


def _negated(tokens: list[str], start: int) -> bool:
    before = tokens[max(0, start - NEGATION_WINDOW) : start]
    return bool(NEGATORS & set(before)) or (start > 0 and tokens[start - 1] == "no")


def _workplace(tokens: list[str], start: int, phrase: tuple[str, ...]) -> bool:
    return phrase[-1] in PEOPLE and start >= 2 and tuple(tokens[start - 2 : start]) in WORKPLACE


def _matches(tokens: list[str], phrases: tuple[Phrase, ...], replies: bool) -> list[Match]:
    """Every phrase found, then the longest kept where two overlap."""
    found = []
    for phrase in phrases:
        if phrase.reply and not replies:
            continue
        size = len(phrase.tokens)
        for start in range(len(tokens) - size + 1):
            if _workplace(tokens, start, phrase.tokens):
                continue
            if all(same_word(tokens[start + k], phrase.tokens[k]) for k in range(size)):
                found.append(
                    Match(
                        phrase.value,
                        start,
                        start + size,
                        len("".join(phrase.tokens)),
                        phrase.weak,
                        _negated(tokens, start),
                    )
                )
    kept: list[Match] = []
    for match in sorted(found, key=lambda m: m.size, reverse=True):
        if all(match.end <= other.start or match.start >= other.end for other in kept):
            kept.append(match)
    return kept


def _meaning(question: str, match: Match) -> str | None:
    """What a match says: its value, the opposite when negated, or nothing."""
    if not match.negated:
        return match.value
    return OPPOSITES.get(question, {}).get(match.value)


def _feeling(tokens: list[str], match: Match, value: str | None, needed: bool) -> str | None:
    """What advocacy words say: "I love court" yes, "I hate court" or "I prefer
    paperwork to court" no, and, when a feeling is `needed` (a statement rather than a
    reply), "I work at the magistrates' court" nothing."""
    feelings = FEELINGS & set(tokens)
    if value is None or (needed and not feelings):
        return None
    turn = bool(feelings & AVERSIONS)
    if "prefer" in tokens or "rather" in tokens:
        # "prefer X to Y" turns Y; "prefer to stay out of court" turns nothing.
        pivot = next(i for i, t in enumerate(tokens) if t in ("prefer", "rather"))
        turn = turn or any(t in CONTRAST for t in tokens[pivot + 2 : match.start])
    if turn:
        return {"yes": "no", "no": "yes"}.get(value, value)
    return value


def _choose(question: str, matches: list[tuple[str, Match]], order: list[str]) -> str | None:
    """The answer the matches give: strong before weak, then the stage that decides the
    routes most, then the longest phrase, then the choice listed first."""
    if not matches:
        return None
    strong = [(value, m) for value, m in matches if not m.weak] or matches
    if question == STAGE:
        return min(strong, key=lambda vm: STAGE_PRECEDENCE.index(vm[0]))[0]
    return max(strong, key=lambda vm: (vm[1].size, -order.index(vm[0])))[0]


def _read(
    pathway: Pathway,
    question: str,
    parts: list[list[str]],
    *,
    replies: bool,
    strict: bool = False,
) -> str | None:
    order = [choice.value for choice in pathway.questions[question].choices]
    meant = []
    for tokens in parts:
        asking = asks(tokens)
        if asking and not replies and question in ABOUT_SELF_ONLY:
            continue
        if question not in (ADVOCACY, RIGHT_TO_WORK) and not (replies and question == "course"):
            tokens = strip_wishes(tokens)  # "to become a barrister" answers the course only
        for match in _matches(tokens, _phrases(pathway)[question], replies):
            if asking and not replies and match.weak:
                continue  # "which way into the CPS?" does not say they work there
            value = _meaning(question, match)
            if question == ADVOCACY:
                # From a statement, only what the person feels about court work counts;
                # in a reply too, a fear of it turns a yes ("court scares me").
                value = _feeling(tokens, match, value, needed=not replies)
            if value is not None:
                meant.append((value, match))
    if strict and question != STAGE and len({value for value, _ in meant}) > 1:
        return None  # "the LPC, SQE or Bar course": more than one answer is none
    return _choose(question, meant, order)


# ---------------------------------------------------------------- years of practice

_YEARS = re.compile(
    r"(?:\b(?P<mod>less than|fewer than|under|below|just over|just under|over|more than|"
    r"above|at least|almost|nearly)\s+)?\b(?P<n>\d+(?:\.\d+)?)\s*(?P<plus>\+|plus)?\s*"
    r"(?P<unit>years?|yrs?|yeras?|yaers?|yeats?|yeers?|ys|pqe|months?|mths?|mnths?|"
    r"decades?)\b(?!\s*old)"
)
_SINCE = re.compile(r"\bsince (?P<year>(?:19|20)\d\d)\b")
_BARE_NUMBER = re.compile(
    r"^\s*(?:(?:about|around|roughly|approx|approximately|maybe|probably|like)\s+)?"
    r"(?P<n>\d+(?:\.\d+)?)\s*(?P<plus>\+|plus)?\s*(?:ish)?\s*$"
)
_UNIT_YEARS = {"month": 1 / 12, "mth": 1 / 12, "mnth": 1 / 12, "decade": 10.0}


def _years_in(text: str, *, bare_number: bool = False) -> float | None:
    found = list(_YEARS.finditer(text))
    match = found[-1] if found else None  # the last one: "2 to 5 years" means up to 5
    if match is None:
        since = _SINCE.search(text)
        if since:
            return float(max(0, date.today().year - int(since["year"])))
        match = _BARE_NUMBER.match(text) if bare_number else None
    if match is None:
        return None
    value = float(match["n"])
    unit = (match.groupdict().get("unit") or "year").rstrip("s")
    value *= _UNIT_YEARS.get(unit, 1.0)
    mod = (match.groupdict().get("mod") or "").replace("just ", "")
    if match["plus"] or mod in ("over", "more than", "above"):
        value += 0.01
    elif mod in ("less than", "fewer than", "under", "below", "almost", "nearly"):
        value -= 0.01
    return value


def years_of_practice(text: str, *, bare_number: bool = False) -> float | None:
    """Years in "2 yrs criminal practice", "four years", "10+ years", "6 months", "a decade".

    With `bare_number`, a number on its own ("3") counts as years: the visitor was
    just asked how many years.
    """
    return _years_in(with_digits(text), bare_number=bare_number)


def experience_of(years: float) -> str:
    return OVER if years >= EXPERIENCED_YEARS else UNDER


def _no_crime(parts: list[list[str]]) -> bool:
    """ "never worked in crime", "no criminal experience", "not done any criminal work"."""
    return any(
        token in CRIME and _negated(tokens, index)
        for tokens in parts
        for index, token in enumerate(tokens)
    )


def _practice_years(parts: list[list[str]]) -> float | None:
    """Years said about practice, in a message that is not about another area of law."""
    all_words = {token for tokens in parts for token in tokens}
    if all_words & OTHER_LAW and not all_words & CRIME:
        return None  # "five years in family law" says nothing of criminal practice
    # "defence solicitor, 6 years": the clause before can say what the years are of.
    found = [
        years
        for index, tokens in enumerate(parts)
        if set(tokens + (parts[index - 1] if index else [])) & PRACTICE
        and (years := _years_in(" ".join(tokens))) is not None
    ]
    return found[-1] if found else None


# ---------------------------------------------------------------- reading


def read_answer(pathway: Pathway, question: str, text: str) -> str | None:
    """The choice value a visitor's reply to `question` means, or None if unclear."""
    parts = clauses(text)
    if not parts:
        return None
    if question == EXPERIENCE:
        years = years_of_practice(text, bare_number=True)
        if years is not None:
            return experience_of(years)
        if _no_crime(parts):
            return UNDER
    return _read(pathway, question, parts, replies=True)


def answer_years(text: str) -> float | None:
    """The years in a reply to the experience question, for the summary."""
    return years_of_practice(text, bare_number=True)


@dataclass(frozen=True)
class Situation:
    """What a message says about the visitor: answers by question, and years of practice."""

    answers: dict[str, str] = field(default_factory=dict)
    years: float | None = None

    def __bool__(self) -> bool:
        return bool(self.answers)


def read_situation(pathway: Pathway, text: str, *, statements_only: bool = False) -> Situation:
    """Everything the message says about the visitor's situation.

    With `statements_only`, only clauses where the visitor speaks about themselves
    count ("I'm a paralegal", not "what does a barrister earn?"): used for messages
    that were about something else.
    """
    parts = [
        tokens
        for tokens in clauses(text)
        if not THIRD_PERSON & set(tokens) and (about_self(tokens) or not statements_only)
    ]
    if not parts:
        return Situation()
    answers = {}
    for question in pathway.questions:
        if question == EXPERIENCE:
            continue
        value = _read(pathway, question, parts, replies=False, strict=True)
        if value is not None:
            answers[question] = value
    years = None if _no_crime(parts) else _practice_years(parts)
    if _no_crime(parts):
        answers[EXPERIENCE] = UNDER
    elif years is not None:
        answers[EXPERIENCE] = experience_of(years)
    else:
        value = _read(pathway, EXPERIENCE, parts, replies=False, strict=True)
        if value is not None:
            answers[EXPERIENCE] = value
    if STAGE not in answers and "profession" in answers:
        answers[STAGE] = "qualified"  # "I've been at the bar for a decade"
    stage = answers.get(STAGE)
    if stage is not None:
        keep = set(ALWAYS) | set(FOLLOW_UPS.get(stage, ()))
        answers = {question: value for question, value in answers.items() if question in keep}
        if EXPERIENCE not in answers:
            years = None
    return Situation(answers, years)


def combine(situations: list[Situation]) -> Situation:
    """What several messages say, the later ones correcting the earlier."""
    answers: dict[str, str] = {}
    years = None
    for situation in situations:
        if STAGE in situation.answers and situation.answers[STAGE] != answers.get(STAGE):
            # A new stage: what was said for the old one no longer applies.
            answers = {q: v for q, v in answers.items() if q in ALWAYS}
            years = None
        answers.update(situation.answers)
        if situation.years is not None:
            years = situation.years
    return Situation(answers, years)

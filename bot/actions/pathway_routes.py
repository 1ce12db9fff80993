"""The pathway finder's pure logic: understanding answers and choosing routes.

No Rasa here. The actions in `bot.actions.pathway` pass in the visitor's text and
the answers so far; the choices, the words visitors use for them and the routes
of each profile come from the knowledge file's `pathway` section, so an editor
can change what is recommended and why without touching code.

    understand(pathway, "stage", "im doing the sqe")          -> "vocational"
    required_questions({"stage": "qualified"})                  -> ["stage", "profession", ...]
    recommend(kb, {"stage": "school", "right_to_work": "yes"})  -> routes, best first
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from bot.knowledge import KnowledgeBase, Pathway
from bot.knowledge.schema import PATHWAY_QUESTIONS, PathwayQuestion

QUESTIONS = tuple(PATHWAY_QUESTIONS)  # stage, course, profession, ... right_to_work
UNKNOWN = "unknown"  # the stage, after two answers that were not understood
ELIGIBILITY = "eligibility-nationality"
MAX_ROUTES = 3
EXPERIENCED_YEARS = 2  # years of criminal practice from which senior roles fit

Answers = Mapping[str, "str | None"]

# ---------------------------------------------------------------- reading text


def normalise(text: str) -> str:
    """Lower case, apostrophes dropped ("I'm" -> "im"), hyphens and punctuation as spaces."""
    text = text.lower().replace("\u2019", "'").replace("'", "")
    return " ".join(re.findall(r"[a-z0-9]+", text))


def words(text: str) -> list[str]:
    return normalise(text).split()


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


def same_word(typed: str, known: str) -> bool:
    """Equal, or a small typo of a longer word ("barister", "colege", "solicter")."""
    if typed == known:
        return True
    if len(known) < 5 or any(c.isdigit() for c in typed + known):
        return False
    allowed = 1 if len(known) < 8 else 2
    return abs(len(typed) - len(known)) <= allowed and _distance(typed, known) <= allowed


def _phrase_score(tokens: list[str], phrase: list[str]) -> tuple[int, int] | None:
    """(words, letters) of the phrase if it occurs in the tokens, allowing small typos."""
    size = len(phrase)
    for start in range(len(tokens) - size + 1):
        if all(same_word(tokens[start + k], phrase[k]) for k in range(size)):
            return size, len("".join(phrase))
    return None


def match_choice(question: PathwayQuestion, text: str, *, strict: bool = False) -> str | None:
    """The value of the choice whose phrase best matches the text, or None.

    The longest matching phrase wins (ties: the choice listed first). A `weak`
    choice counts only when no other choice matches. With `strict`, any two
    different choices matching means "not sure" (None): used when reading extra
    answers out of a message that answered another question.
    """
    tokens = words(text)
    scores: dict[str, tuple[int, int]] = {}
    for choice in question.choices:
        for phrase in choice.phrases:
            score = _phrase_score(tokens, words(phrase))
            if score and score > scores.get(choice.value, (0, 0)):
                scores[choice.value] = score
    weak = {choice.value for choice in question.choices if choice.weak}
    pool = {value: score for value, score in scores.items() if value not in weak} or scores
    if not pool or (strict and len(pool) > 1):
        return None
    best = max(pool.values())
    return next(c.value for c in question.choices if pool.get(c.value) == best)


# "I want to become a barrister" says where they want to go, not where they are.
_ASPIRATION = re.compile(
    r"\b(?:wants?|wanted|wanting|wanna|hope|hoping|plan|planning|would like|id like|"
    r"aim|aiming|going|trying|intend|intending|dream of|thinking of|considering)"
    r"(?: to)? (?:be|become|becoming|qualify|qualifying|train|training|work|working|"
    r"get|join|joining|go|do|doing|study|studying)\b(?: [a-z0-9]+){0,3}"
)


def strip_aspirations(text: str) -> str:
    return _ASPIRATION.sub(" ", normalise(text)).strip()


_WORD_NUMBERS = {
    "a couple of": 2,
    "couple of": 2,
    "a few": 3,
    "few": 3,
    "several": 4,
    "an": 1,
    "a": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
}
_UNITS = {"month": 1 / 12, "decade": 10.0}  # anything else matched below is years
_YEARS = re.compile(
    r"(?:\b(?P<mod>less than|fewer than|under|below|over|more than|above|at least|almost|nearly)"
    r"\s+)?\b(?P<n>\d+(?:\.\d+)?|" + "|".join(_WORD_NUMBERS) + r")\s*(?P<plus>\+)?\s*"
    r"(?P<unit>years?|yrs?|yeras?|yaers?|yeats?|yeers?|ys|pqe|months?|mths?|mnths?|decades?)\b"
)
_BARE_NUMBER = re.compile(r"^\s*(?P<n>\d+(?:\.\d+)?)\s*(?P<plus>\+)?\s*$")


def years_of_practice(text: str, *, bare_number: bool = False) -> float | None:
    """Years in "2 yrs criminal practice", "five years", "10+ years", "6 months", "a decade".

    With `bare_number`, a number on its own ("3") counts as years: the visitor was
    just asked how many years.
    """
    lowered = text.lower()
    found = list(_YEARS.finditer(lowered))
    match = found[-1] if found else None  # the last one: "2 to 5 years" means up to 5
    if match is None and bare_number:
        match = _BARE_NUMBER.match(lowered)
    if match is None:
        return None
    number = match["n"]
    value = float(number) if number[0].isdigit() else float(_WORD_NUMBERS[number])
    unit = (match.groupdict().get("unit") or "year").rstrip("s")
    value *= _UNITS.get(unit, 1.0)
    mod = match.groupdict().get("mod") or ""
    if match["plus"] or mod in ("over", "more than", "above"):
        value += 0.01
    elif mod in ("less than", "fewer than", "under", "below", "almost", "nearly"):
        value -= 0.01
    return value


def understand(pathway: Pathway, question: str, text: str, *, strict: bool = False) -> str | None:
    """The choice value a visitor's answer to `question` means, or None if unclear."""
    if not text or not text.strip():
        return None
    spec = pathway.questions[question]
    if question == "experience":
        years = years_of_practice(text, bare_number=not strict)
        if years is not None:
            return "2-plus" if years >= EXPERIENCED_YEARS else "under-2"
    if question == "stage":
        text = strip_aspirations(text)
    return match_choice(spec, text, strict=strict)


def extras_from_stage(pathway: Pathway, stage: str, text: str) -> dict[str, str]:
    """Later answers already given with the stage: "I'm a barrister, newly qualified"."""
    follow_ups = {
        "qualified": ("profession", "experience"),
        "vocational": ("course",),
        "paralegal": ("at_cps",),
    }.get(stage, ())
    found = {}
    for question in follow_ups:
        value = understand(pathway, question, text, strict=True)
        if value is not None:
            found[question] = value
    return found


# ---------------------------------------------------------------- choosing routes


def required_questions(answers: Answers) -> list[str]:
    """The questions this visitor needs, in the order they are asked; right to work last."""
    stage = answers.get("stage")
    if stage is None or stage == UNKNOWN:
        return ["stage"]
    needed = ["stage"]
    if stage == "vocational":
        needed.append("course")
    elif stage == "qualified":
        needed.append("profession")
        profession = answers.get("profession")
        if profession is not None and profession != "cilex":
            needed.append("experience")
            experience = answers.get("experience")
            newly_qualified_barrister = profession == "barrister" and experience == "under-2"
            if experience is not None and not newly_qualified_barrister:
                needed.append("advocacy")
    elif stage == "paralegal":
        needed.append("at_cps")
    needed.append("right_to_work")
    return needed


def profile(answers: Answers) -> str:
    """Which of the knowledge file's `pathway.profiles` the answers describe."""
    stage = answers.get("stage")
    if stage is None or stage == UNKNOWN:
        return UNKNOWN
    if stage == "vocational":
        course = answers.get("course")
        return {"solicitor": "vocational-solicitor", "barrister": "vocational-barrister"}.get(
            course or "", "vocational"
        )
    if stage == "qualified":
        profession = answers.get("profession")
        advocate = answers.get("advocacy") == "yes"
        if profession == "cilex":
            return "chartered-legal-executive"
        if answers.get("experience") != "2-plus":
            if profession == "barrister":
                return "newly-qualified-barrister"
            return "qualified-new-advocate" if advocate else "qualified-new"
        return "qualified-experienced-advocate" if advocate else "qualified-experienced"
    if stage == "paralegal":
        return "paralegal-cps" if answers.get("at_cps") == "yes" else "paralegal"
    return stage


@dataclass(frozen=True)
class Recommendation:
    profile: str
    routes: list[tuple[str, str]]  # (knowledge entry id, reason), best first
    lead: str | None = None  # replaces the heading
    note: str | None = None  # what the right-to-work answer means
    check_eligibility: bool = False  # offer the eligibility answer as well

    @property
    def route_ids(self) -> list[str]:
        return [route for route, _ in self.routes]


def recommend(kb: KnowledgeBase, answers: Answers) -> Recommendation:
    """One to three routes, best first, with the reason each fits."""
    pathway = _pathway(kb)
    name = profile(answers)
    chosen = pathway.profiles[name]
    routes = [(route.route, route.reason) for route in chosen.routes]
    right_to_work = answers.get("right_to_work")
    if right_to_work == "no":
        # Nothing else can happen until the nationality rules are met: check them first.
        routes = [(ELIGIBILITY, pathway.nationality_reason)] + [
            route for route in routes if route[0] != ELIGIBILITY
        ]
    return Recommendation(
        profile=name,
        routes=routes[:MAX_ROUTES],
        lead=chosen.lead,
        note=pathway.right_to_work_notes.get(right_to_work or ""),
        check_eligibility=right_to_work == "not-sure",
    )


def recommendation_text(kb: KnowledgeBase, recommendation: Recommendation) -> str:
    """The heading, each route with its reason and source, any note, the disclaimer."""
    pathway = _pathway(kb)
    lines = [
        pathway.route.format(
            number=number,
            title=kb.entries[route].title,
            reason=reason,
            source=kb.entries[route].source,
        )
        for number, (route, reason) in enumerate(recommendation.routes, 1)
    ]
    parts = [recommendation.lead or pathway.heading, "\n".join(lines)]
    if recommendation.note:
        parts.append(recommendation.note)
    parts.append(pathway.disclaimer)
    return "\n\n".join(parts)


def _pathway(kb: KnowledgeBase) -> Pathway:
    if kb.pathway is None:
        raise LookupError(f"{kb.path.name} has no `pathway` section")
    return kb.pathway

"""The pathway finder's routes: which questions a visitor needs, and which routes fit.

No Rasa here. The choices, the routes of each profile and every word said come from
the knowledge file's `pathway` section, so an editor can change what is recommended
and why without touching code.

    required_questions({"stage": "qualified"})                  -> ["stage", "profession", ...]
    summary(pathway, {"stage": "qualified", "profession": "solicitor",
                      "experience": "2-plus"}, years=4)
        -> "a solicitor with about four years of criminal practice"
    recommend(kb, {"stage": "school", "right_to_work": "yes"})  -> routes, best first
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlparse

from bot.knowledge import KnowledgeBase, Pathway
from bot.knowledge.schema import PATHWAY_QUESTIONS

QUESTIONS = tuple(PATHWAY_QUESTIONS)  # stage, course, profession, ... right_to_work
UNKNOWN = "unknown"  # an answer the finder went on without
NOT_SURE = "not-sure"
ELIGIBILITY = "eligibility-nationality"
MAX_ROUTES = 3

Answers = Mapping[str, "str | None"]


def known(value: str | None) -> bool:
    return value is not None and value != UNKNOWN


def required_questions(answers: Answers) -> list[str]:
    """The questions this visitor needs, in the order they are asked; right to work last."""
    stage = answers.get("stage")
    if not known(stage):
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


def next_question(answers: Answers) -> str | None:
    """The first question still unanswered, or None when the routes can be chosen."""
    return next((q for q in required_questions(answers) if answers.get(q) is None), None)


def profile(answers: Answers) -> str:
    """Which of the knowledge file's `pathway.profiles` the answers describe."""
    stage = answers.get("stage")
    if not known(stage):
        return UNKNOWN
    if stage == "vocational":
        course = answers.get("course")
        return {"solicitor": "vocational-solicitor", "barrister": "vocational-barrister"}.get(
            course or "", "vocational"
        )
    if stage == "qualified":
        profession = answers.get("profession")
        experience = answers.get("experience")
        advocate = answers.get("advocacy") == "yes"
        if profession == "cilex":
            return "chartered-legal-executive"
        if profession == "barrister" and experience == "under-2":
            return "newly-qualified-barrister"
        if experience == "2-plus":
            return "qualified-experienced-advocate" if advocate else "qualified-experienced"
        return "qualified-new-advocate" if advocate else "qualified-new"
    if stage == "paralegal":
        return "paralegal-cps" if answers.get("at_cps") == "yes" else "paralegal"
    return stage


# ---------------------------------------------------------------- what was understood

_NUMBERS = (
    "no one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty"
).split()


def years_in_words(years: float) -> str:
    """ "four years", "one year", "six months", "25 years"."""
    if years < 1:
        months = max(1, round(years * 12))
        number = _NUMBERS[months] if months < len(_NUMBERS) else str(months)
        return f"{number} month" + ("s" if months != 1 else "")
    whole = round(years * 2) / 2
    if whole != int(whole):
        return f"{_NUMBERS[int(whole)] if whole < 21 else int(whole)} and a half years"
    count = int(whole)
    number = _NUMBERS[count] if count < len(_NUMBERS) else str(count)
    return f"{number} year" + ("s" if count != 1 else "")


def _understood(pathway: Pathway, question: str, value: str | None) -> str | None:
    if not known(value):
        return None
    choice = next(c for c in pathway.questions[question].choices if c.value == value)
    return choice.understood


def summary(pathway: Pathway, answers: Answers, years: float | None = None) -> str | None:
    """What the finder understood, in words: "a solicitor with about four years of
    criminal practice, interested in court advocacy". The right to work is left out."""
    needed = required_questions(answers)
    stage = answers.get("stage")
    who = _understood(pathway, "stage", stage)
    if stage == "qualified":
        who = _understood(pathway, "profession", answers.get("profession")) or who
    if stage == "vocational":
        who = _understood(pathway, "course", answers.get("course")) or who
    if who is None:
        return None
    text = who
    if "experience" in needed and known(answers.get("experience")):
        if years is not None and years > 0:
            text += " " + pathway.understood_years.format(years=years_in_words(years))
        else:
            text += ", " + str(_understood(pathway, "experience", answers.get("experience")))
    if "at_cps" in needed and known(answers.get("at_cps")):
        text += " " + str(_understood(pathway, "at_cps", answers.get("at_cps")))
    if "advocacy" in needed and known(answers.get("advocacy")):
        text += ", " + str(_understood(pathway, "advocacy", answers.get("advocacy")))
    return text


def summary_line(pathway: Pathway, answers: Answers, years: float | None = None) -> str | None:
    """ "You're a solicitor with about four years of criminal practice." or None."""
    said = summary(pathway, answers, years)
    return pathway.understood.format(summary=said) if said else None


# ---------------------------------------------------------------- choosing routes


@dataclass(frozen=True)
class Route:
    id: str  # a knowledge entry id
    reason: str
    source: str


@dataclass(frozen=True)
class Recommendation:
    profile: str
    routes: list[Route]  # best first
    lead: str | None = None  # replaces the heading
    note: str | None = None  # what the profile's routes rest on
    right_to_work_note: str | None = None  # what the right-to-work answer means
    check_eligibility: bool = False  # offer the eligibility answer as well

    @property
    def route_ids(self) -> list[str]:
        return [route.id for route in self.routes]


def recommend(kb: KnowledgeBase, answers: Answers) -> Recommendation:
    """One to three routes, best first, with the reason each fits."""
    pathway = pathway_of(kb)
    name = profile(answers)
    chosen = pathway.profiles[name]
    routes = [
        Route(route.route, route.reason, route.source or kb.entries[route.route].source)
        for route in chosen.routes
    ]
    right_to_work = answers.get("right_to_work")
    if right_to_work == "no":
        # Nothing else can happen until the nationality rules are met: check them first.
        eligibility = Route(ELIGIBILITY, pathway.nationality_reason, kb.entries[ELIGIBILITY].source)
        routes = [eligibility] + [route for route in routes if route.id != ELIGIBILITY]
    return Recommendation(
        profile=name,
        routes=routes[:MAX_ROUTES],
        lead=chosen.lead,
        note=chosen.note,
        right_to_work_note=pathway.right_to_work_notes.get(right_to_work or ""),
        check_eligibility=right_to_work in (NOT_SURE, UNKNOWN),
    )


def source_name(pathway: Pathway, url: str) -> str:
    """The name of the site a source is on ("CPS website"), or its address's host."""
    host = urlparse(url).hostname or url
    return pathway.source_names.get(host, host.removeprefix("www."))


def recommendation_text(
    kb: KnowledgeBase, recommendation: Recommendation, understood: str | None = None
) -> str:
    """What was understood, the heading, each route (one a line) with its reason and
    source, any notes, then the disclaimer."""
    pathway = pathway_of(kb)
    lines = [
        pathway.route.format(
            number=number,
            title=kb.entries[route.id].title,
            reason=route.reason,
            source=route.source,
            source_name=source_name(pathway, route.source),
        )
        for number, route in enumerate(recommendation.routes, 1)
    ]
    heading = recommendation.lead or pathway.heading
    parts = [f"{understood} {heading}" if understood else heading, "\n".join(lines)]
    parts += [note for note in (recommendation.note, recommendation.right_to_work_note) if note]
    parts.append(pathway.disclaimer)
    return "\n\n".join(parts)


def pathway_of(kb: KnowledgeBase) -> Pathway:
    """The knowledge file's `pathway` section; an error naming the file if it has none."""
    if kb.pathway is None:
        raise LookupError(f"{kb.path.name} has no `pathway` section")
    return kb.pathway

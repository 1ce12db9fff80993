"""Visitors of the pathway finder, written apart from the training data.

Each persona opens in their own words, knows the true answer to every question the
finder may ask (`truth`, the value of the button they would press) and what they
would type instead (`says`: one reply per question, or a list when the first reply
is one the finder cannot use). `routes` are the routes a recruiter would give them,
best first; `asks` are the questions a typing visitor should be asked, in order:
only what the opening did not already say. `offered`: the opening only describes
the person, so the finder is offered before it starts.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Persona:
    name: str
    opening: str
    truth: dict[str, str]
    says: dict[str, str | list[str]]
    routes: list[str]
    asks: tuple[str, ...]
    offered: bool = False
    accept: str = "yes please"

    def replies(self, question: str) -> list[str]:
        said = self.says[question]
        return [said] if isinstance(said, str) else list(said)


@dataclass
class Typist:
    """Types each persona's replies in turn."""

    persona: Persona
    used: dict[str, int] = field(default_factory=dict)

    def reply(self, question: str) -> str:
        replies = self.persona.replies(question)
        index = self.used.get(question, 0)
        self.used[question] = index + 1
        return replies[min(index, len(replies) - 1)]


RTW = "right_to_work"

PERSONAS = [
    Persona(
        "sixth former, asks plainly",
        "hi, which way into the CPS would work for someone like me?",
        {"stage": "school", RTW: "yes"},
        {"stage": "I'm in lower sixth doing history and politics", RTW: "yes, I'm a UK citizen"},
        ["solicitor-apprenticeship"],
        ("stage", RTW),
    ),
    Persona(
        "year 10 pupil who says so",
        "I'm in year 10 and want to be a prosecutor one day, what path should I take?",
        {"stage": "school", RTW: "yes"},
        {RTW: "yeah"},
        ["solicitor-apprenticeship"],
        (RTW,),
    ),
    Persona(
        "law student, types the stage",
        "which route would fit me best",
        {"stage": "university-law", RTW: "yes"},
        {"stage": "I'm doing a law degree at Bristol", RTW: "yes i do"},
        ["legal-trainee-scheme"],
        ("stage", RTW),
    ),
    Persona(
        "second year LLB student",
        "Im a 2nd year LLB student, what route should I go for?",
        {"stage": "university-law", RTW: "yes"},
        {RTW: "yep"},
        ["legal-trainee-scheme"],
        (RTW,),
    ),
    Persona(
        "geography graduate",
        "I graduated in geography - what route into prosecuting suits me?",
        {"stage": "university-other", RTW: "yes"},
        {RTW: "yes"},
        ["legal-trainee-scheme", "paralegal-officer"],
        (RTW,),
    ),
    Persona(
        "on a conversion course",
        "can you suggest a route for me",
        {"stage": "law-graduate", RTW: "yes"},
        {"stage": "I'm halfway through a PGDL", RTW: "of course"},
        ["legal-trainee-scheme", "paralegal-officer"],
        ("stage", RTW),
    ),
    Persona(
        "law degree and the SQE",
        "which route is right for me? I have a law degree and passed the SQE",
        {"stage": "vocational", "course": "solicitor", RTW: "yes"},
        {RTW: "yes"},
        ["legal-trainee-scheme", "training-contract"],
        (RTW,),
    ),
    Persona(
        "finishing the Bar course",
        "what's my best route in? I'm finishing the bar course this summer",
        {"stage": "vocational", "course": "barrister", RTW: "yes"},
        {RTW: "yes"},
        ["legal-trainee-scheme", "pupillage"],
        (RTW,),
    ),
    Persona(
        "vocational, not decided",
        "what would suit me best at the CPS?",
        {"stage": "vocational", "course": "not-sure", RTW: "yes"},
        {
            "stage": "taking the bar or sqe, haven't picked yet",
            "course": "no idea yet, could go either way",
            RTW: "yes",
        },
        ["legal-trainee-scheme", "training-contract", "pupillage"],
        ("stage", "course", RTW),
    ),
    Persona(
        "solicitor qualified last month",
        "I qualified as a solicitor last month, which route would suit me?",
        {
            "stage": "qualified",
            "profession": "solicitor",
            "experience": "under-2",
            "advocacy": "no",
            RTW: "yes",
        },
        {"experience": "none in crime yet", "advocacy": "not really, I like advising", RTW: "yes"},
        ["crown-prosecutor", "qualified-lawyer-entry"],
        ("experience", "advocacy", RTW),
    ),
    Persona(
        "solicitor with four years in crime",
        "I'm a solicitor with four years in crime, which route suits me?",
        {
            "stage": "qualified",
            "profession": "solicitor",
            "experience": "2-plus",
            "advocacy": "yes",
            RTW: "yes",
        },
        {"advocacy": "yes, I enjoy trials", RTW: "yes"},
        ["crown-advocate", "senior-crown-prosecutor"],
        ("advocacy", RTW),
    ),
    Persona(
        "barrister who only describes himself",
        "I'm a barrister, eight years in crime",
        {
            "stage": "qualified",
            "profession": "barrister",
            "experience": "2-plus",
            "advocacy": "yes",
            RTW: "yes",
        },
        {"advocacy": "definitely, jury trials are my thing", RTW: "yes"},
        ["crown-advocate", "senior-crown-prosecutor"],
        ("advocacy", RTW),
        offered=True,
    ),
    Persona(
        "defence solicitor, types everything",
        "what route would you recommend for me",
        {
            "stage": "qualified",
            "profession": "solicitor",
            "experience": "2-plus",
            "advocacy": "no",
            RTW: "yes",
        },
        {
            "stage": "I'm a criminal defence solicitor",
            "experience": "about seven years",
            "advocacy": "no, I'd rather review cases",
            RTW: "yes",
        },
        ["senior-crown-prosecutor", "qualified-lawyer-entry"],
        ("stage", "experience", "advocacy", RTW),
    ),
    Persona(
        "just finished pupillage",
        "I've just finished pupillage - where would I fit at the CPS?",
        {"stage": "qualified", "profession": "barrister", "experience": "under-2", RTW: "yes"},
        {RTW: "yes"},
        ["go-prosecute", "crown-prosecutor"],
        (RTW,),
    ),
    Persona(
        "chartered legal executive",
        "I'm a chartered legal executive, what's the best route for me?",
        {"stage": "qualified", "profession": "cilex", RTW: "yes"},
        {RTW: "yes"},
        ["crown-prosecutor", "associate-prosecutor"],
        (RTW,),
    ),
    Persona(
        "paralegal at a private firm, not qualified",
        "I'm a paralegal at a private firm, not qualified - which way in would suit me?",
        {"stage": "paralegal", "at_cps": "no", RTW: "yes"},
        {RTW: "yes"},
        ["paralegal-officer", "associate-prosecutor"],
        (RTW,),
    ),
    Persona(
        "CPS paralegal, types the stage",
        "which path is best for me",
        {"stage": "paralegal", "at_cps": "yes", RTW: "yes"},
        {"stage": "I'm a paralegal with the CPS in Leeds", RTW: "yes"},
        ["associate-prosecutor", "solicitor-apprenticeship"],
        ("stage", RTW),
    ),
    Persona(
        "paralegal, asked where",
        "could you run the route finder for me",
        {"stage": "paralegal", "at_cps": "no", RTW: "yes"},
        {"stage": "I work as a paralegal", "at_cps": "nope, a high street firm", RTW: "yes"},
        ["paralegal-officer"],
        ("stage", "at_cps", RTW),
    ),
    Persona(
        "CPS caseworker who only describes herself",
        "I work at the CPS as a caseworker",
        {"stage": "cps-staff", RTW: "yes"},
        {RTW: "yes"},
        ["solicitor-apprenticeship", "associate-prosecutor"],
        (RTW,),
        offered=True,
        accept="yes",
    ),
    Persona(
        "CPS admin officer",
        "I'm an admin officer at the CPS - which route could get me into a legal role?",
        {"stage": "cps-staff", RTW: "yes"},
        {RTW: "yes"},
        ["solicitor-apprenticeship"],
        (RTW,),
    ),
    Persona(
        "solicitor back after raising children",
        "I'm a solicitor who took six years out to raise my children - which route back in "
        "suits me?",
        {"stage": "returner", RTW: "yes"},
        {RTW: "yes"},
        ["go-prosecute"],
        (RTW,),
    ),
    Persona(
        "barrister who stopped practising",
        "could you work out a route for me",
        {"stage": "returner", RTW: "yes"},
        {"stage": "I'm a barrister but haven't practised since 2019", RTW: "yes"},
        ["go-prosecute"],
        ("stage", RTW),
    ),
    Persona(
        "law student without the right to work",
        "what's the right route for me? I'm studying law at uni",
        {"stage": "university-law", RTW: "no"},
        {RTW: "no, I would need a visa"},
        ["eligibility-nationality", "legal-trainee-scheme"],
        (RTW,),
    ),
    Persona(
        "law graduate on a graduate visa",
        "I'm a law graduate, which route should I take",
        {"stage": "law-graduate", RTW: "not-sure"},
        {RTW: "I'm on a graduate visa so not sure"},
        ["legal-trainee-scheme", "paralegal-officer"],
        (RTW,),
    ),
    Persona(
        "sixth former whose first reply is unclear",
        "which route fits me?",
        {"stage": "school", RTW: "yes"},
        {"stage": ["hmm", "I'm at sixth form college"], RTW: "yes"},
        ["solicitor-apprenticeship"],
        ("stage", "stage", RTW),
    ),
    Persona(
        "barrister taken for a solicitor, corrects it",
        "I'm a solicitor, which route suits me?",
        {
            "stage": "qualified",
            "profession": "barrister",
            "experience": "2-plus",
            "advocacy": "yes",
            RTW: "yes",
        },
        {
            "experience": "no sorry, I'm a barrister, 2 years call",
            "advocacy": "yes",
            RTW: "yes",
        },
        ["crown-advocate", "senior-crown-prosecutor"],
        ("experience", "advocacy", RTW),
    ),
    Persona(
        "experienced solicitor, unsure about court",
        "which route is best for someone in my position",
        {
            "stage": "qualified",
            "profession": "solicitor",
            "experience": "2-plus",
            "advocacy": "not-sure",
            RTW: "yes",
        },
        {
            "stage": "solicitor, 15 years, mostly crime",
            "advocacy": "maybe, I don't know yet",
            RTW: "yes",
        },
        ["senior-crown-prosecutor", "qualified-lawyer-entry"],
        ("stage", "advocacy", RTW),
    ),
    Persona(
        "junior solicitor who wants court",
        "I'm a solicitor with 1 year PQE in crime, which role fits me?",
        {
            "stage": "qualified",
            "profession": "solicitor",
            "experience": "under-2",
            "advocacy": "yes",
            RTW: "yes",
        },
        {"advocacy": "yes, I want to be in court", RTW: "yes"},
        ["crown-prosecutor", "crown-advocate"],
        ("advocacy", RTW),
    ),
    Persona(
        "barrister who prefers advisory work",
        "barrister with 5 years call - what route fits me?",
        {
            "stage": "qualified",
            "profession": "barrister",
            "experience": "2-plus",
            "advocacy": "no",
            RTW: "yes",
        },
        {"advocacy": "not really, I prefer advisory work", RTW: "yes"},
        ["senior-crown-prosecutor"],
        ("advocacy", RTW),
    ),
    Persona(
        "final-year law student",
        "Final-year law student here, what would you suggest for me?",
        {"stage": "university-law", RTW: "yes"},
        {RTW: "yes"},
        ["legal-trainee-scheme"],
        (RTW,),
    ),
    Persona(
        "Bar training course student, types the stage",
        "how should someone in my position get into the CPS?",
        {"stage": "vocational", "course": "barrister", RTW: "yes"},
        {"stage": "Bar training course student", RTW: "yes"},
        ["legal-trainee-scheme", "pupillage"],
        ("stage", RTW),
    ),
    Persona(
        "chemistry student",
        "I'm doing a chemistry degree, is there a route in for me?",
        {"stage": "university-other", RTW: "yes"},
        {RTW: "yes"},
        ["legal-trainee-scheme", "paralegal-officer"],
        (RTW,),
    ),
    Persona(
        "school leaver who does not want university",
        "I left school last year and don't want to go to uni, which route could work for me?",
        {"stage": "school", RTW: "yes"},
        {RTW: "yes"},
        ["solicitor-apprenticeship"],
        (RTW,),
    ),
    Persona(
        "CPS paralegal who only describes herself",
        "I'm a paralegal for the CPS in Birmingham",
        {"stage": "paralegal", "at_cps": "yes", RTW: "yes"},
        {RTW: "yes"},
        ["associate-prosecutor"],
        (RTW,),
        offered=True,
        accept="sure, go ahead",
    ),
    Persona(
        "law student who only describes himself",
        "I'm in my final year studying law at Durham",
        {"stage": "university-law", RTW: "yes"},
        {RTW: "yes"},
        ["legal-trainee-scheme"],
        (RTW,),
        offered=True,
        accept="go on then",
    ),
    Persona(
        "British law student, nothing left to ask",
        "I'm a British law student - what route do you recommend?",
        {"stage": "university-law", RTW: "yes"},
        {},
        ["legal-trainee-scheme"],
        (),
    ),
    Persona(
        "solicitor who writes numbers as words",
        "what route is best for me as a solicitor?",
        {
            "stage": "qualified",
            "profession": "solicitor",
            "experience": "2-plus",
            "advocacy": "no",
            RTW: "yes",
        },
        {"experience": "about eleven years", "advocacy": "nah", RTW: "yep"},
        ["senior-crown-prosecutor"],
        ("experience", "advocacy", RTW),
    ),
]

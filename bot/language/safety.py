"""Does a message suggest danger, abuse, a crime or distress? Safety comes first.

The cues are the knowledge file's `safety.cues` and `safety.personal_cues`, never
counted inside a denial ("I'm not a victim"). Each situation leads to the signposting
topic that helps most:

- a decision not to charge, or to drop a case, to challenge, or a complaint about how the
  CPS handled one: case-enquiry-or-complaint (with the Victims' Right to Review);
- a victim or witness asking for support or about court: victims-and-witnesses;
- danger, a crime or distress: report-a-crime (999 first).
"""

from __future__ import annotations

from collections.abc import Iterable

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc

from bot.knowledge import Safety
from bot.language.negation import Denial

REPORT_A_CRIME = "report-a-crime"
VICTIMS_AND_WITNESSES = "victims-and-witnesses"
CASE_ENQUIRY = "case-enquiry-or-complaint"
SIGNPOSTING_TOPICS = (REPORT_A_CRIME, VICTIMS_AND_WITNESSES, CASE_ENQUIRY)
DECISION = "decision"
CHARGING = "charging"
COMPLAINT = "complaint"  # about how the CPS handled a case: counts on its own
DANGER = "danger"
VICTIM = "victim"
DISTRESS = "distress"
# Not a cue: a message about the visitor that will not be answered and is not about
# careers (bot.language.understanding). Signposted in full, as distress is.
UNSURE = "unsure"
QUALIFIERS = {VICTIM, DECISION}  # they count only beside another situation (see SafetyCheck)
# Personal words that cannot be the person harmed: subjects ("I hurt"), possessives
# ("hurt my chances") and what the distress cues cover ("hurt myself").
NOT_OBJECTS = {"i", "im", "i'm", "ive", "i've", "we", "myself", "ourselves", "my", "our", "mine"}
BREAKS = {",", ".", "?", "!", ";", "and", "but", "or", "if"}  # the object is in the same clause


def signposting_topic(situations: Iterable[str]) -> str:
    """The signposting topic for the situations found, the most specific first."""
    found = set(situations)
    if found & {DECISION, CHARGING, COMPLAINT}:
        return CASE_ENQUIRY
    if VICTIM in found:
        return VICTIMS_AND_WITNESSES
    return REPORT_A_CRIME


class SafetyCheck:
    """Finds the situations of the knowledge file's safety cues in a spaCy doc.

    - `cues` (phrases) count on their own, matched on lemmas;
    - `personal_cues` (single words, matched as written or with -s or -es) count only
      in a message about the visitor or someone close to them (`personal` words: "i",
      "my", "someone");
    - a decision to challenge, and a victim's single word ("trial", "witness"), count
      only beside another situation: "can I appeal a rejected application?" and "how do
      trials work?" are careers questions; a charging decision ("dropped the case")
      counts on its own;
    - `harm_verbs` with a person as their object, a word or two apart, are danger:
      "he'll hurt the kids", "she said she'd kill my little brother" (the people are
      the `personal` words that can be an object, not "i", "we", "myself", and the
      `harm_objects`, strangers harmed in front of the visitor: "hitting a woman").
    """

    def __init__(
        self,
        nlp: Language,
        cues: dict[str, list[str]],
        personal_cues: dict[str, list[str]] | None = None,
        personal: Iterable[str] = (),
        harm_verbs: Iterable[str] = (),
        harm_objects: Iterable[str] = (),
    ):
        # The same pipeline makes the lemmas of the cues and of the messages.
        self.cues = PhraseMatcher(nlp.vocab, attr="LEMMA")
        for situation, phrases in cues.items():
            self.cues.add(situation, list(nlp.pipe(phrase.lower() for phrase in phrases)))
        self.personal_cues = PhraseMatcher(nlp.vocab, attr="LOWER")
        for situation, words in (personal_cues or {}).items():
            forms = {form for word in words for form in _with_s(word.lower())}
            self.personal_cues.add(situation, [nlp.make_doc(form) for form in sorted(forms)])
        self.personal = set(personal)
        self.harm = Matcher(nlp.vocab)
        verbs = sorted({token.lemma_ for verb in harm_verbs for token in nlp(verb.lower())})
        people = sorted(self.personal - NOT_OBJECTS | {word.lower() for word in harm_objects})
        if verbs and people:
            between = [{"OP": "?", "LOWER": {"NOT_IN": sorted(BREAKS)}}] * 2
            self.harm.add(DANGER, [[{"LEMMA": {"IN": verbs}}, *between, {"LOWER": {"IN": people}}]])

    @classmethod
    def from_knowledge(
        cls, nlp: Language, safety: Safety, personal: Iterable[str] = ()
    ) -> SafetyCheck:
        # Welsh visitors' own cues (the `cy` block) are read beside the English ones: a
        # message in either language is signposted.
        welsh = safety.cy
        cues = _merged(safety.cues, welsh.cues if welsh else {})
        personal_cues = _merged(safety.personal_cues, welsh.personal_cues if welsh else {})
        return cls(nlp, cues, personal_cues, personal, safety.harm_verbs, safety.harm_objects)

    def situations(self, doc: Doc, denials: list[Denial] = ()) -> set[str]:
        """The situations whose cues appear in `doc`, outside any denial.

        A cue that holds its own negation ("don't feel safe") counts: only a cue
        denied from outside ("I'm not a victim") is set aside.
        """
        phrases = self._matches(self.cues, doc, denials) | self._matches(self.harm, doc, denials)
        words: set[str] = set()
        if any(token.lower_ in self.personal for token in doc):
            words = self._matches(self.personal_cues, doc, denials)
        found = (phrases | words) - QUALIFIERS | (phrases & {VICTIM})
        if found:
            found |= (phrases | words) & QUALIFIERS
        return found

    def only_denied(self, doc: Doc, denials: list[Denial]) -> bool:
        """Are all the cues in `doc`, of any kind, denied? ("I'm not a crime victim")"""
        every = self._matches(self.cues, doc, []) | self._matches(self.personal_cues, doc, [])
        kept = self._matches(self.cues, doc, denials) | self._matches(
            self.personal_cues, doc, denials
        )
        return bool(every) and not kept

    @staticmethod
    def _matches(matcher: Matcher | PhraseMatcher, doc: Doc, denials: list[Denial]) -> set[str]:
        return {
            doc.vocab.strings[match_id]
            for match_id, start, end in matcher(doc)
            if not _denied(range(start, end), denials)
        }


def _merged(*lists: dict[str, list[str]]) -> dict[str, list[str]]:
    merged: dict[str, list[str]] = {}
    for cues in lists:
        for situation, phrases in cues.items():
            merged.setdefault(situation, []).extend(phrases)
    return merged


def _with_s(word: str) -> tuple[str, ...]:
    """A word with its -s and -es forms: "stalk" also finds "stalks", "punch" "punches"."""
    return (word, f"{word}s", f"{word}es")


def _denied(span: range, denials: Iterable[Denial]) -> bool:
    return any(
        denial.cue not in span and any(i in span for i in denial.scope) for denial in denials
    )

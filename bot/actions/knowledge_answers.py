"""Answer questions from the knowledge file, with context across turns.

"Tell me about the Legal Trainee Scheme" sets the subject; "what does it pay?"
and "how do I apply for it?" then answer for that subject from its `pay` and
`apply` blocks; after a pay answer, "what about London?" gives its London figure.

A question is answered for the subject it names, never for a neighbouring one: pay
for a role or scheme the knowledge file has no pay details for says so and where to
find out ("do apprentices get paid?"), and so does a general pay or application answer
to a question about a course or body the knowledge file only mentions ("does the CPS
pay for the LPC?", bot.actions.terms); a benefit asked about in a role ("a job share
as a crown prosecutor") is answered from the benefit, and a name with a typo
("paralegel") counts as named. An answer just given is not given again word for word.
"""

from __future__ import annotations

from collections.abc import Sequence

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.context import latest_intent, mentioned_places, mentioned_subjects, ranked_intents
from bot.actions.fallback import MIN_CLASSIFIER_CONFIDENCE, suggest_topics
from bot.actions.finder_buttons import answer_old_choice
from bot.actions.language import Events, VisitorAction
from bot.actions.repetition import without_repetition
from bot.actions.replies import (
    Reply,
    contact_button,
    conversation_reply,
    knowledge_reply,
    topic_buttons,
)
from bot.actions.terms import knowledge_terms
from bot.knowledge import Entry, KnowledgeBase, load_knowledge
from bot.language.subjects import subject_names

SALARY = "salary"
HOW_TO_APPLY = "how-to-apply"
LOCATIONS = "locations"
TELL_ME_MORE = "tell-me-more"
WHAT_ABOUT = "what-about"
LONDON = "london"
RANKED = 3  # how far down the classifier ranking a named subject may be
CLOSE = 0.5  # ... and how close to the top guess's confidence (a share of it)
NOT_COVERED = "not-covered"
PAGES = 2  # pages offered that mention a term the answer does not
PAID_KINDS = ("role", "scheme")  # what has pay of its own, where the knowledge file gives it
ASKED_IN_A_ROLE = ("benefit",)  # what a question naming a role may still be about

# Read the word lists when the action server starts, not on a visitor's first question:
# Rasa waits only ACTION_TIMEOUT for an action (bot/limits/settings.py), then apologises.
subject_names()
knowledge_terms()


class ActionAnswerKnowledge(VisitorAction):
    action_name = "action_answer_knowledge"

    @property
    def kb(self) -> KnowledgeBase:
        # One action instance serves every conversation: read the cached file, keep no state.
        return load_knowledge()

    async def respond(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> Events:
        if answer_old_choice(dispatcher, tracker):
            return []
        intent = latest_intent(tracker)
        subjects = named_subjects(self.kb, tracker)
        text = tracker.latest_message.get("text") or ""
        terms = [] if text.startswith("/") else knowledge_terms().named(text)
        places = [p.lower() for p in mentioned_places(tracker)]
        subject = subjects[0] if subjects else tracker.get_slot("subject")
        last_topic = tracker.get_slot("last_topic")

        if intent == TELL_ME_MORE:
            reply = self.more(last_topic)
        elif intent == WHAT_ABOUT:
            reply = self.what_about(last_topic, subjects, places, subject)
        elif intent in self.kb.entries:
            reply = self.answer(intent, subjects, places, subject, ranked_intents(tracker), terms)
        else:
            reply = None
        if reply is None:
            return suggest_topics(dispatcher, tracker)

        reply = without_repetition(self.kb, reply, tracker)
        reply.send(dispatcher, tracker)
        return [
            SlotSet("last_topic", reply.topic),
            SlotSet("subject", reply.subject or subject),
        ]

    def answer(
        self,
        topic: str,
        subjects: list[str],
        places: list[str],
        subject: str | None,
        ranked: list[tuple[str, float]],
        terms: Sequence[str] = (),
    ) -> Reply:
        if topic == SALARY:
            return self.pay(subject, london=LONDON in places, named=subjects, terms=terms)
        if topic == HOW_TO_APPLY:
            return self.apply(subject, terms=terms)
        entry = self.kb.entries[self.disambiguate(topic, subjects, ranked)]
        asked = self.asked_in_role(entry, subjects, ranked)
        if asked is not None:
            return knowledge_reply(self.kb, asked, subject=entry.id)
        return knowledge_reply(self.kb, entry, subject=entry.id if entry.kind else None)

    def asked_in_role(
        self, entry: Entry, subjects: list[str], ranked: list[tuple[str, float]]
    ) -> Entry | None:
        """A benefit named in a question about a role ("crown prosecutor job share?") is
        what the question asks about, when the classifier also ranks it among its next
        guesses after the role (second or third: a neighbouring role may tie with it) and
        above noise: its entry, not the role's. A benefit word in passing ("is there
        training when you start as a paralegal officer?", ranked as noise) leaves the
        role's answer."""
        if entry.kind not in PAID_KINDS:
            return None
        topics = [(name, confidence) for name, confidence in ranked if name in self.kb.entries]
        runner_up = [
            name for name, confidence in topics[1:RANKED] if confidence >= MIN_CLASSIFIER_CONFIDENCE
        ]
        kinds = ((s, self.kb.entries[s].kind) for s in subjects if s in runner_up)
        return next((self.kb.entries[s] for s, kind in kinds if kind in ASKED_IN_A_ROLE), None)

    def disambiguate(self, topic: str, subjects: list[str], ranked: list[tuple[str, float]]) -> str:
        """Trust a named role or scheme over a close classifier guess of the same kind.

        "What is CPS Direct?" may be classified as crown-prosecutor; the phrase
        "CPS Direct" belongs to senior-crown-prosecutor, which the classifier
        also ranked close to the top, so answer that. A name the classifier did not
        consider at all ("pride network" also names staff networks) is ignored, and so
        is one it ranked far below a confident choice: "do black employees have a staff
        network?" is about the race equality network, whatever "staff network" names.
        """
        kind = self.kb.entries[topic].kind
        if not kind or topic in subjects:
            return topic
        best = ranked[0][1] if ranked else 0.0
        close = {name for name, confidence in ranked[:RANKED] if confidence >= best * CLOSE}
        same_kind = [s for s in subjects if self.kb.entries[s].kind == kind and s in close]
        return same_kind[0] if len(same_kind) == 1 else topic

    def pay(
        self,
        subject: str | None,
        london: bool = False,
        named: Sequence[str] = (),
        terms: Sequence[str] = (),
    ) -> Reply:
        """Pay for the subject in context, else the salary entry's own answer; for a role
        or scheme named in the question without pay details, or a term the general answer
        does not mention, say so."""
        salary = self.kb.entries[SALARY]
        entry = self._with_block(subject, "pay") or salary
        block = entry.pay
        general_london = salary.pay.london if salary.pay else None
        asked = self.kb.entries.get(subject or "")
        if entry is salary and subject in named and asked and asked.kind in PAID_KINDS:
            return self.not_covered(asked.title, [asked], SALARY)
        if entry is salary and (missed := self.unmentioned(terms, salary, london)):
            return missed
        if entry is salary:
            if london and general_london:
                return knowledge_reply(
                    self.kb, salary, general_london, source=salary.pay.source, subject=subject
                )
            return knowledge_reply(self.kb, salary, subject=subject)
        text = (block.london or general_london or block.answer) if london else block.answer
        reply = knowledge_reply(
            self.kb, entry, text, topic=SALARY, source=block.source, subject=entry.id
        )
        reply.title = f"{salary.title}: {entry.title}"
        return reply

    def apply(self, subject: str | None, terms: Sequence[str] = ()) -> Reply:
        general = self.kb.entries[HOW_TO_APPLY]
        entry = self._with_block(subject, "apply")
        if entry is None:
            return self.unmentioned(terms, general) or knowledge_reply(
                self.kb, general, subject=subject
            )
        reply = knowledge_reply(
            self.kb,
            entry,
            entry.apply.answer,
            topic=HOW_TO_APPLY,
            source=entry.apply.source,
            subject=entry.id,
        )
        reply.title = f"{general.title}: {entry.title}"
        return reply

    def unmentioned(
        self, terms: Sequence[str], general: Entry, london: bool = False
    ) -> Reply | None:
        """The general answer would not mention a term the question asks about ("does the
        CPS pay for the LPC?"): say so, with the pages that use the term."""
        text = " ".join(filter(None, [general.answer, general.detail]))
        if london and general.pay:
            text += f" {general.pay.london}"
        missing = [term for term in terms if term not in text]
        if not missing:
            return None
        pages = [self.kb.entries[e] for e in knowledge_terms().entries[missing[0]][:PAGES]]
        reply = self.not_covered(" and ".join(missing), pages, general.id)
        reply.subject = None  # a page that mentions the term is not what is discussed
        return reply

    def not_covered(self, name: str, pages: list[Entry], topic: str) -> Reply:
        """The question asks about `name`, and the knowledge has nothing on it for `topic`:
        say so, link the first page about it and offer the pages, the general answer and
        the human route as buttons."""
        said = self.kb.conversation[NOT_COVERED]
        first = pages[0]
        offered = [page.id for page in pages] + [topic]
        return Reply(
            text=said.answer.replace("{subject}", name),
            topic=topic,
            source=first.source,
            reviewed=first.reviewed.isoformat(),
            title=first.title,
            subject=first.id,
            buttons=topic_buttons(self.kb, offered) + [contact_button(self.kb)],
            rateable=True,
        )

    def _with_block(self, subject: str | None, block: str) -> Entry | None:
        entry = self.kb.entries.get(subject or "")
        return entry if entry is not None and getattr(entry, block) is not None else None

    def more(self, last_topic: str | None) -> Reply | None:
        entry = self.kb.entries.get(last_topic or "")
        if entry is None:
            return None
        if entry.detail:
            return knowledge_reply(self.kb, entry, entry.detail, offer_more=False)
        reply = conversation_reply(self.kb, "more-unavailable", topic=entry.id)
        reply.source, reply.reviewed = entry.source, entry.reviewed.isoformat()
        return reply

    def what_about(
        self,
        last_topic: str | None,
        subjects: list[str],
        places: list[str],
        subject: str | None,
    ) -> Reply | None:
        """Ask the last question again about a new subject or place."""
        if subjects:
            if last_topic == SALARY:
                return self.pay(subjects[0], london=LONDON in places, named=subjects)
            if last_topic == HOW_TO_APPLY:
                return self.apply(subjects[0])
            return self.answer(subjects[0], subjects, places, subjects[0], [])
        if places:
            if last_topic == SALARY:
                return self.pay(subject, london=LONDON in places)
            return knowledge_reply(self.kb, self.kb.entries[LOCATIONS])
        return None


def named_subjects(kb: KnowledgeBase, tracker: Tracker) -> list[str]:
    """The entries the message names: its entities, then any name it misspells."""
    subjects = [s for s in mentioned_subjects(tracker) if s in kb.entries]
    text = tracker.latest_message.get("text") or ""
    if text.startswith("/"):
        return subjects  # a button: its payload names the topic
    return subjects + [s for s in subject_names().misspelt(text) if s not in subjects]

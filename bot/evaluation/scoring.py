"""Score the assistant's replies against the expected topics.

Every question is exactly one of: right; a fallback (the assistant said it was not sure,
when that was not the right answer: not right, but honest); or a "confident wrong answer",
a reply on the wrong topic that did not admit doubt. For nonsense, the fallback is right.

Results are also read by kind of message (bot.evaluation.heldout.KINDS). Two kinds have
a measure of their own: a `safety` message is *signposted* when the reply's topic is one
of the signposting topics or its payload says `"safety": true` (a careers answer that
signposts first); a `nonsense` message should never be answered with a topic.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.evaluation.heldout import KINDS, Question
from bot.language.safety import SIGNPOSTING_TOPICS

FALLBACK = "fallback"
RIGHT, CONFIDENT_WRONG = "right", "confident-wrong"


@dataclass(frozen=True)
class Reply:
    """What one turn's reply said, as far as scoring is concerned."""

    topic: str
    safety: bool = False  # the payload flagged the turn as signposted
    lang: str = "en"  # the language the payload says its text is in

    @classmethod
    def from_messages(cls, messages: Sequence[dict[str, Any]]) -> Reply:
        payloads = [
            m["custom"]
            for m in messages
            if isinstance(m.get("custom"), dict) and "topic" in m["custom"]
        ]
        if len(payloads) != 1:  # the answer contract promises exactly one
            return cls(f"<contract broken: {len(payloads)} topics>")
        payload = payloads[0]
        return cls(
            str(payload["topic"]), payload.get("safety") is True, str(payload.get("lang") or "en")
        )

    def in_language(self, lang: str) -> Reply:
        """This reply as scored on a set in `lang`: in another language it is not right
        (its topic is marked with the language it came in)."""
        if self.lang == lang:
            return self
        return Reply(f"{self.topic} (in {self.lang})", self.signposted, self.lang)

    @property
    def signposted(self) -> bool:
        return self.topic in SIGNPOSTING_TOPICS or self.safety


def in_set_language(
    questions: Sequence[Question], replies: Sequence[Reply], lang: str
) -> list[Reply]:
    """The replies as scored on a set in `lang` (Welsh): right only if in that language.
    Nonsense has no language, so its fallback counts in either."""
    return [
        reply if question.kind == "nonsense" else reply.in_language(lang)
        for question, reply in zip(questions, replies, strict=True)
    ]


def outcome(expected: str, predicted: str) -> str:
    if expected == predicted:
        return RIGHT
    return FALLBACK if predicted == FALLBACK else CONFIDENT_WRONG


@dataclass
class TopicScore:
    precision: float
    recall: float
    support: int


@dataclass
class Report:
    total: int
    correct: int
    fallbacks: int
    confident_wrong: int
    per_topic: dict[str, TopicScore] = field(default_factory=dict)
    confusions: list[tuple[str, str, int]] = field(
        default_factory=list
    )  # expected, predicted, count

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0

    @property
    def confident_wrong_rate(self) -> float:
        return self.confident_wrong / self.total if self.total else 0.0

    @property
    def fallback_rate(self) -> float:
        return self.fallbacks / self.total if self.total else 0.0


def score(expected: Sequence[str], predicted: Sequence[str]) -> Report:
    pairs = list(zip(expected, predicted, strict=True))
    outcomes = Counter(outcome(e, p) for e, p in pairs)
    per_topic = {}
    for topic in sorted(set(expected)):
        true_positive = sum(e == topic and p == topic for e, p in pairs)
        predicted_count = sum(p == topic for _, p in pairs)
        support = sum(e == topic for e, _ in pairs)
        per_topic[topic] = TopicScore(
            precision=true_positive / predicted_count if predicted_count else 0.0,
            recall=true_positive / support if support else 0.0,
            support=support,
        )
    confusions = Counter((e, p) for e, p in pairs if e != p)
    return Report(
        total=len(pairs),
        correct=outcomes[RIGHT],
        fallbacks=outcomes[FALLBACK],
        confident_wrong=outcomes[CONFIDENT_WRONG],
        per_topic=per_topic,
        confusions=[(e, p, n) for (e, p), n in confusions.most_common()],
    )


def score_answers(answered: Sequence[tuple[Question, Reply]]) -> Report:
    """The score of questions, each with the reply it got."""
    return score([q.topic for q, _ in answered], [r.topic for _, r in answered])


@dataclass
class KindScore:
    """One kind of message: the usual shares, and how many were signposted (every kind,
    though it matters for `safety`) or answered with a topic (it matters for `nonsense`)."""

    report: Report
    signposted: int
    answered_with_topic: int

    @property
    def signposted_rate(self) -> float:
        return self.signposted / self.report.total if self.report.total else 0.0


def score_by_kind(questions: Sequence[Question], replies: Sequence[Reply]) -> dict[str, KindScore]:
    """A KindScore for each kind present, in the order of KINDS (unknown kinds last)."""
    pairs = list(zip(questions, replies, strict=True))
    present = {q.kind for q in questions}
    order = [k for k in KINDS if k in present] + sorted(present - set(KINDS))
    scores = {}
    for kind in order:
        mine = [(q, r) for q, r in pairs if q.kind == kind]
        scores[kind] = KindScore(
            report=score_answers(mine),
            signposted=sum(r.signposted for _, r in mine),
            answered_with_topic=sum(r.topic != FALLBACK for _, r in mine),
        )
    return scores


def sweep(
    expected: Sequence[str],
    rankings: Sequence[Sequence[tuple[str, float]]],
    thresholds: Iterable[float],
) -> list[tuple[float, Report]]:
    """What the classifier alone would score with each fallback threshold."""
    results = []
    for threshold in thresholds:
        predicted = [
            ranking[0][0] if ranking and ranking[0][1] >= threshold else FALLBACK
            for ranking in rankings
        ]
        results.append((threshold, score(expected, predicted)))
    return results

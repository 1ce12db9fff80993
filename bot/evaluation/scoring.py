"""Score predicted topics against expected ones.

A "confident wrong answer" is a reply on the wrong topic that did not admit
doubt: anything but `fallback`. A fallback is not right, but it is honest.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.language.safety import SIGNPOSTING_TOPICS

FALLBACK = "fallback"


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
    correct = sum(e == p for e, p in pairs)
    fallbacks = sum(p == FALLBACK for _, p in pairs)
    confident_wrong = sum(e != p and p != FALLBACK for e, p in pairs)
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
        correct=correct,
        fallbacks=fallbacks,
        confident_wrong=confident_wrong,
        per_topic=per_topic,
        confusions=[(e, p, n) for (e, p), n in confusions.most_common()],
    )


def sweep(
    expected: Sequence[str],
    rankings: Sequence[Sequence[tuple[str, float]]],
    thresholds: Sequence[float],
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


def signposted(payload: dict) -> bool:
    """Did the reply give the safety signposting (a signposting topic, or the safety flag)?"""
    return payload.get("topic") in SIGNPOSTING_TOPICS or payload.get("safety") is True


def by_kind(
    kinds: Sequence[str], expected: Sequence[str], predicted: Sequence[str]
) -> dict[str, Report]:
    """One report per kind of message (plain, typos, long, ...), in order of first appearance."""
    groups: dict[str, list[int]] = {}
    for index, kind in enumerate(kinds):
        groups.setdefault(kind, []).append(index)
    return {
        kind: score([expected[i] for i in indices], [predicted[i] for i in indices])
        for kind, indices in groups.items()
    }

"""Find measurement questions that copy, or nearly copy, text the assistant learned from.

A held-out question only measures understanding if the assistant has never seen it, nor
anything almost the same. Seen text is every training example in `bot/data/nlu/`, every
`phrases` list in the knowledge file (entries and the pathway's answer choices) and the
development sets (questions and safety phrasings), which tuning decisions are made on.

Two texts overlap when, after lowercasing and dropping punctuation, they are equal, or
difflib's `SequenceMatcher` ratio is at least 0.85, or their word sets have a Jaccard
index of at least 0.8. Comparing every question with every seen text is a few million
pairs, so cheap upper bounds rule most pairs out first: the character-count bound behind
`SequenceMatcher.quick_ratio` (computed for all seen texts at once with numpy), and word-set
intersections computed as one sparse matrix product.

`python -m bot.evaluation.overlap` lists the overlaps and exits 1 if there are any.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path

import numpy as np
import yaml
from scipy import sparse

from bot.evaluation.heldout import (
    MEASUREMENT_SETS,
    SAFETY_DEVELOPMENT,
    SAFETY_DEVELOPMENT_CY,
    SETS,
    load_questions,
)
from bot.ops import PROJECT_ROOT
from bot.training_data import NLU_DIR
from bot.training_data import training_examples as read_examples

KNOWLEDGE_FILE = PROJECT_ROOT / "bot" / "knowledge" / "careers.yml"
RATIO = 0.85
JACCARD = 0.8

PUNCTUATION = re.compile(r"[^\w\s]")
SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Text:
    text: str
    source: str  # the file it came from, relative to the project


@dataclass(frozen=True)
class Overlap:
    question: Text
    seen: Text
    how: str

    def __str__(self) -> str:
        return (
            f"{self.question.text!r} ({self.question.source}) is {self.how} of "
            f"{self.seen.text!r} ({self.seen.source})"
        )

    def seen_side(self) -> str:
        """The overlap without the measured question's text, for messages that people
        tuning the assistant read: they must not see held-out questions."""
        return (
            f"a question in {self.question.source} is {self.how} of "
            f"{self.seen.text!r} ({self.seen.source})"
        )


def normalise(text: str) -> str:
    """Lowercase, punctuation dropped, spaces collapsed. Text that is nothing but
    punctuation ("...", "?!") stays as it is, so it is only equal to itself."""
    lowered = SPACES.sub(" ", text.lower()).strip()
    return SPACES.sub(" ", PUNCTUATION.sub("", lowered)).strip() or lowered


def _relative(path: Path) -> str:
    try:
        return str(path.relative_to(PROJECT_ROOT))
    except ValueError:
        return str(path)


def training_examples(nlu_dir: Path = NLU_DIR) -> list[Text]:
    """Every example of every intent, synonym and lookup table, annotations removed."""
    return [Text(text, _relative(path)) for text, path in read_examples(nlu_dir)]


def _phrases(node) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "phrases" and isinstance(value, list):
                yield from (str(phrase) for phrase in value)
            else:
                yield from _phrases(value)
    elif isinstance(node, list):
        for value in node:
            yield from _phrases(value)


def knowledge_phrases(path: Path = KNOWLEDGE_FILE) -> list[Text]:
    """Every `phrases` list in the knowledge file, wherever it is."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [Text(phrase, _relative(path)) for phrase in _phrases(data)]


def question_texts(path: Path) -> list[Text]:
    return [Text(q.text, _relative(path)) for q in load_questions(path)]


def phrasing_texts(path: Path = SAFETY_DEVELOPMENT) -> list[Text]:
    """A plain list of phrasings (`phrasings:`), as the safety development set is kept."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return [Text(str(text), _relative(path)) for text in data.get("phrasings") or []]


def seen_texts() -> list[Text]:
    """What the assistant is built or tuned from."""
    tuned_on = question_texts(SETS["development"]) + question_texts(SETS["development-cy"])
    safety = phrasing_texts(SAFETY_DEVELOPMENT) + phrasing_texts(SAFETY_DEVELOPMENT_CY)
    return training_examples() + knowledge_phrases() + tuned_on + safety


class _Index:
    """The seen texts, prepared for many quick comparisons."""

    def __init__(self, texts: Sequence[Text]):
        self.texts = list(texts)
        self.normal = [normalise(t.text) for t in self.texts]
        self.exact: dict[str, list[int]] = {}
        for i, normal in enumerate(self.normal):
            self.exact.setdefault(normal, []).append(i)
        self.chars = {c: i for i, c in enumerate(sorted({c for n in self.normal for c in n}))}
        self.char_counts = np.zeros((len(self.normal), len(self.chars) + 1), dtype=np.int32)
        for row, normal in enumerate(self.normal):
            for c in normal:
                self.char_counts[row, self.chars[c]] += 1
        self.lengths = np.array([len(n) for n in self.normal], dtype=np.int32)
        self.words: dict[str, int] = {}
        self.word_sets = self._word_matrix(self.normal, grow=True)
        self.word_counts = np.asarray(self.word_sets.sum(axis=1)).ravel()

    def _word_matrix(self, normals: Sequence[str], grow: bool) -> sparse.csr_matrix:
        rows, cols = [], []
        for row, normal in enumerate(normals):
            for word in set(normal.split()):
                if grow:
                    self.words.setdefault(word, len(self.words))
                if word in self.words:
                    rows.append(row)
                    cols.append(self.words[word])
        shape = (len(normals), len(self.words) + 1)
        return sparse.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)), shape)

    def _char_vector(self, normal: str) -> np.ndarray:
        vector = np.zeros(self.char_counts.shape[1], dtype=np.int32)
        for c in normal:
            vector[self.chars.get(c, -1)] += 1  # unseen characters share the last column
        vector[-1] = 0  # and can never match
        return vector

    def overlaps(self, questions: Sequence[Text]) -> Iterator[Overlap]:
        normals = [normalise(q.text) for q in questions]
        shared = (self._word_matrix(normals, grow=False) @ self.word_sets.T).toarray()
        for row, (question, normal) in enumerate(zip(questions, normals, strict=True)):
            if normal in self.exact:
                for i in self.exact[normal]:
                    yield Overlap(question, self.texts[i], "an exact copy")
                continue
            found: dict[int, list[str]] = {}
            total = len(normal) + self.lengths
            bound = 2 * np.minimum(self.char_counts, self._char_vector(normal)).sum(axis=1)
            for i in np.flatnonzero(bound >= RATIO * total):
                ratio = _ratio(normal, self.normal[i])
                if ratio >= RATIO:
                    found.setdefault(i, []).append(f"ratio {ratio:.2f}")
            own_words = len(set(normal.split()))
            union = own_words + self.word_counts - shared[row]
            jaccard = np.divide(shared[row], union, out=np.zeros_like(union), where=union > 0)
            for i in np.flatnonzero(jaccard >= JACCARD):
                found.setdefault(i, []).append(f"word-set Jaccard {jaccard[i]:.2f}")
            for i, measures in found.items():
                yield Overlap(question, self.texts[i], f"a near copy ({', '.join(measures)})")


def _ratio(a: str, b: str) -> float:
    """difflib's ratio, taken both ways: it depends on which text is matched against which
    ("would a crown advocate ever ..." scored 0.87 one way and under 0.85 the other)."""
    return max(SequenceMatcher(None, a, b).ratio(), SequenceMatcher(None, b, a).ratio())


def find_overlaps(questions: Sequence[Text], seen: Iterable[Text]) -> list[Overlap]:
    """Every pair of a question and a seen text that are exact or near copies."""
    return list(_Index(list(seen)).overlaps(questions))


def measurement_overlaps() -> list[Overlap]:
    """Held-out (English and Welsh) and safety questions that copy what the assistant saw;
    safety questions are also kept apart from the English held-out ones."""
    index = _Index(seen_texts())
    found = []
    for name in MEASUREMENT_SETS:
        found += index.overlaps(question_texts(SETS[name]))
    found += find_overlaps(question_texts(SETS["safety"]), question_texts(SETS["heldout"]))
    return found


def main() -> int:
    overlaps = measurement_overlaps()
    for overlap in overlaps:
        print(overlap)
    print(f"{len(overlaps)} overlaps", file=sys.stderr)
    return 1 if overlaps else 0


if __name__ == "__main__":
    sys.exit(main())

"""The held-out and safety questions are new to the assistant: no exact or near copies.

The first test is the real check over the real files; the others show the detector finds
what it must (and only that), so the real check cannot pass by missing everything.
"""

from __future__ import annotations

from difflib import SequenceMatcher

from bot.evaluation.heldout import SETS
from bot.evaluation.overlap import (
    JACCARD,
    RATIO,
    Text,
    find_overlaps,
    knowledge_phrases,
    measurement_overlaps,
    normalise,
    question_texts,
    seen_texts,
    training_examples,
)


def test_no_measurement_question_copies_what_the_assistant_was_built_or_tuned_from():
    overlaps = measurement_overlaps()
    assert not overlaps, (
        f"{len(overlaps)} held-out or safety questions copy text the assistant saw. Remove or "
        "reword the training example or development question; a held-out question may be "
        "reworded only before any model has been measured on it. Only the seen side is shown "
        "here; `python -m bot.evaluation.overlap` shows both, for whoever keeps the held-out "
        "set:\n" + "\n".join(overlap.seen_side() for overlap in overlaps)
    )


def test_no_development_question_copies_a_training_example_or_phrase():
    # Tuning on questions the assistant was trained on would flatter every choice.
    questions = question_texts(SETS["development"]) + question_texts(SETS["development-cy"])
    overlaps = find_overlaps(questions, training_examples() + knowledge_phrases())
    assert not overlaps, "Reword the training example or phrase:\n" + "\n".join(map(str, overlaps))


def test_the_check_reads_every_source_it_compares_with():
    sources = {text.source for text in seen_texts()}
    assert "tests/evaluation/development.yml" in sources
    assert "tests/e2e/safety_phrasings_dev_cy.yml" in sources
    assert "bot/knowledge/careers.yml" in sources
    assert len([s for s in sources if s.startswith("bot/data/nlu/")]) >= 5
    assert len(seen_texts()) > 1000


def test_the_quick_bounds_never_hide_a_pair_that_a_plain_comparison_finds():
    seen = seen_texts()[::6]
    # Questions near the seen texts (edited copies) and far from them (held-out ones).
    questions = [Text(t.text.replace("e", "a", 1) + " thx", "q") for t in seen[::10]]
    questions += [Text(q.text, "q") for q in question_texts(SETS["heldout"])[::10]]
    expected = set()
    for q in questions:
        a = normalise(q.text)
        for s in seen:
            b = normalise(s.text)
            near = any(
                matcher.real_quick_ratio() >= RATIO and matcher.ratio() >= RATIO
                for matcher in (SequenceMatcher(None, a, b), SequenceMatcher(None, b, a))
            )
            words_a, words_b = set(a.split()), set(b.split())
            jaccard = len(words_a & words_b) / len(words_a | words_b)
            if a == b or near or jaccard >= JACCARD:
                expected.add((q, s))
    found = {(o.question, o.seen) for o in find_overlaps(questions, seen)}
    assert found == expected
    assert len(expected) > 20  # the comparison is not vacuous


def seen(*texts: str) -> list[Text]:
    return [Text(t, "bot/data/nlu/example.yml") for t in texts]


def question(text: str) -> list[Text]:
    return [Text(text, "tests/evaluation/heldout.yml")]


def test_exact_copies_are_found_regardless_of_case_and_punctuation():
    [overlap] = find_overlaps(question("What's the PAY like?!"), seen("whats the pay like"))
    assert overlap.how == "an exact copy"
    assert "bot/data/nlu/example.yml" in str(overlap)
    assert "tests/evaluation/heldout.yml" in str(overlap)


def test_near_copies_are_found_by_difflib_ratio():
    [overlap] = find_overlaps(
        question("how many days of annual leave do I get"),
        seen("how many days annual leave do i get", "tell me about pupillage"),
    )
    assert "ratio" in overlap.how


def test_a_near_copy_is_found_whichever_text_difflib_reads_first():
    one = "how many days of annual leave does a new starter get"
    other = "how many days of annual leave does trainee a holiday starter get"
    # difflib's ratio is 0.845 one way and 0.862 the other; the word sets differ (0.77).
    assert SequenceMatcher(None, one, other).ratio() < RATIO
    assert SequenceMatcher(None, other, one).ratio() >= RATIO
    assert find_overlaps(question(one), seen(other))
    assert find_overlaps(question(other), seen(one))


def test_near_copies_are_found_by_the_same_words_in_another_order():
    [overlap] = find_overlaps(
        question("pension scheme employer contribution size"),
        seen("size of employer contribution pension scheme"),
    )
    assert "Jaccard" in overlap.how


def test_different_wordings_of_the_same_question_pass():
    assert not find_overlaps(
        question("how much time off would I have each year"),
        seen("how many days of annual leave do I get", "annual leave"),
    )


def test_punctuation_only_messages_are_only_equal_to_themselves():
    assert normalise("...") == "..."
    assert not find_overlaps(question("?!?!"), seen("...", "ok"))
    assert find_overlaps(question("..."), seen("..."))


def test_training_examples_lose_their_entity_annotations(tmp_path):
    (tmp_path / "roles.yml").write_text(
        'version: "3.1"\n'
        "nlu:\n"
        "- intent: salary\n"
        "  examples: |\n"
        "    - what does a [crown prosecutor](role) earn\n"
        '    - pay for [SCPs]{"entity": "role", "value": "senior-crown-prosecutor"}\n'
        "- regex: grade\n"
        "  examples: |\n"
        "    - G[0-9]\n"
    )
    assert [t.text for t in training_examples(tmp_path)] == [
        "what does a crown prosecutor earn",
        "pay for SCPs",
    ]


def test_knowledge_phrases_include_the_pathway_choices(tmp_path):
    knowledge = tmp_path / "careers.yml"
    knowledge.write_text(
        "entries:\n"
        "- id: salary\n"
        "  phrases: [pay, wages]\n"
        "pathway:\n"
        "  questions:\n"
        "    stage:\n"
        "      choices:\n"
        "      - value: school\n"
        "        phrases: [still at school]\n"
    )
    assert [t.text for t in knowledge_phrases(knowledge)] == ["pay", "wages", "still at school"]


def test_the_seen_side_of_an_overlap_leaves_the_measured_question_out():
    [overlap] = find_overlaps(question("What's the PAY like?!"), seen("whats the pay like"))
    shown = overlap.seen_side()
    assert "What's the PAY like?!" not in shown
    assert "'whats the pay like' (bot/data/nlu/example.yml)" in shown
    assert "tests/evaluation/heldout.yml" in shown

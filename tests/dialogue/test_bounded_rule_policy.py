"""BoundedRulePolicy finds exactly the rules Rasa's RulePolicy finds, for any conversation."""

from __future__ import annotations

import json
import random

import pytest
from rasa.core.policies.rule_policy import RULES, RULES_FOR_LOOP_UNHAPPY_PATH, RulePolicy
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.constants import (
    ACTIVE_LOOP,
    PREVIOUS_ACTION,
    SHOULD_NOT_BE_SET,
    SLOTS,
    USER,
)
from stored_conversations import DOMAIN, growing_tracker

from bot.dialogue.rule_policy import BoundedRulePolicy

INTENTS = ("greeting", "salary", "pupillage", "tell-me-more", "goodbye")
ACTIONS = ("action_listen", "action_answer_knowledge", "utter_greet", "action_pathway")
SLOT_VALUES = ((1.0,), (0.0,), SHOULD_NOT_BE_SET)


def random_state(rng: random.Random, *, for_rule: bool) -> dict:
    """A state as Rasa builds them: user intent, previous action, slots, active loop."""
    state: dict = {}
    if rng.random() < 0.8:
        state[PREVIOUS_ACTION] = {"action_name": rng.choice((*ACTIONS, SHOULD_NOT_BE_SET))}
    if rng.random() < 0.7:
        state[USER] = {"intent": rng.choice(INTENTS)}
    elif not for_rule and rng.random() < 0.3:  # Rasa's first pass reads the text, not the intent
        state[USER] = {"text": "what does a crown prosecutor earn?"}
        if rng.random() < 0.3:
            state[USER]["entities"] = ("topic",)
    if rng.random() < 0.4:
        state[SLOTS] = {"pathway": rng.choice(SLOT_VALUES)}
    if rng.random() < 0.2:
        state[ACTIVE_LOOP] = {"name": rng.choice(("pathway_form", SHOULD_NOT_BE_SET))}
    if for_rule:  # rule keys are JSON: tuples come back as lists (RulePolicy converts them)
        state = json.loads(json.dumps(state))
    return state


def policy(cls: type[RulePolicy], tmp_path) -> RulePolicy:
    return cls.create(
        cls.get_default_config(),
        LocalModelStorage(tmp_path / cls.__name__),
        Resource(cls.__name__),
        ExecutionContext(GraphSchema({}), "test"),
    )


def rule_lookup(rng: random.Random) -> dict[str, str]:
    lookup = {}
    for _ in range(40):
        states = [random_state(rng, for_rule=True) for _ in range(rng.randint(1, 4))]
        lookup[json.dumps(states, sort_keys=True)] = rng.choice(ACTIONS)
    return lookup


@pytest.mark.parametrize("seed", range(5))
def test_same_rules_match_as_in_rasa(seed: int, tmp_path) -> None:
    rng = random.Random(seed)
    stock, bounded = policy(RulePolicy, tmp_path), policy(BoundedRulePolicy, tmp_path)
    lookup = rule_lookup(rng)
    matched_somewhere = 0
    for _ in range(400):
        conversation = [random_state(rng, for_rule=False) for _ in range(rng.randint(0, 12))]
        expected = stock._get_possible_keys(lookup, conversation)
        assert bounded._get_possible_keys(lookup, conversation) == expected
        if expected and rng.random() < 0.1:  # as training does when a rule is contradicted
            del lookup[next(iter(expected))]
        matched_somewhere += bool(expected) and len(expected) < len(lookup)
    # The comparison means something only if some conversations match some rules, not all.
    assert matched_somewhere > 20, matched_somewhere


def test_a_conversation_longer_than_every_rule_is_judged_by_its_newest_turns(tmp_path) -> None:
    bounded = policy(BoundedRulePolicy, tmp_path)
    rule = [{PREVIOUS_ACTION: {"action_name": "action_listen"}, USER: {"intent": "salary"}}]
    lookup = {json.dumps(rule): "action_answer_knowledge"}
    old_turns = [{PREVIOUS_ACTION: {"action_name": "utter_greet"}, USER: {"intent": "goodbye"}}] * 9
    asked = {PREVIOUS_ACTION: {"action_name": "action_listen"}, USER: {"intent": "salary"}}
    assert bounded._get_possible_keys(lookup, [*old_turns, asked]) == set(lookup)
    assert bounded._get_possible_keys(lookup, [asked, *old_turns]) == set()


def rules_from(rng: random.Random, conversation_states: list[list[dict]]) -> dict[str, str]:
    """Rules cut from the conversations' own states, so that many of them match."""
    lookup = {}
    for states in conversation_states:
        if rng.random() < 0.3:
            end = rng.randint(1, len(states))
            window = states[max(0, end - rng.randint(1, 4)) : end]
            lookup[json.dumps(window, sort_keys=True)] = rng.choice(DOMAIN.action_names_or_texts)
    return lookup


@pytest.mark.parametrize("seed", range(3))
def test_the_same_actions_are_predicted_as_by_rasa(seed: int, tmp_path) -> None:
    """Whole predictions on growing conversations (a form, a rewind, a restart, sessions),
    made from the newest states only, against RulePolicy's from all of them."""
    rng = random.Random(seed)
    stock, bounded = policy(RulePolicy, tmp_path), policy(BoundedRulePolicy, tmp_path)
    featurizer = stock.featurizer
    seen = [featurizer.prediction_states([t], DOMAIN)[0] for t in growing_tracker()]
    lookup = {RULES: rules_from(rng, seen), RULES_FOR_LOOP_UNHAPPY_PATH: {}}
    stock.lookup, bounded.lookup = lookup, json.loads(json.dumps(lookup))
    predicted = 0
    for tracker in growing_tracker():
        theirs, their_source = stock._predict(tracker, DOMAIN)
        ours, our_source = bounded._predict(tracker, DOMAIN)
        assert (ours.probabilities, our_source) == (theirs.probabilities, their_source)
        assert ours.hide_rule_turn == theirs.hide_rule_turn
        predicted += max(theirs.probabilities) == 1.0
    assert predicted > 50, predicted  # rules matched, not only the defaults

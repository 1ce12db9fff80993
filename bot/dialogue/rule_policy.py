"""Rasa's RulePolicy with its rules indexed by the newest turn they expect.

RulePolicy._get_possible_keys (rasa 3.6.21) tests every rule it learned against
the conversation, three times a turn. Each `or` of intents in bot/data/rules.yml
is learned as one rule per intent, so that is hundreds of rules, and profiling
put the lookup at nearly a fifth of the Rasa server's time per message
(docs/performance.md). Yet a rule can only match if its newest state names the same
previous action and intent as the conversation's newest state.

Here the rules are indexed by those two names, and only the rules filed under
the conversation's names (or under none, for rules that leave one open) are
tested, with Rasa's own test: the same rules match, so the same actions are
predicted, in training (Rasa checks rules for contradictions with this lookup)
and in conversation (tests/dialogue/test_bounded_rule_policy.py compares them).

The conversation's states are made for its newest turns only, as many as the longest
rule has (bot/dialogue/newest_states.py): older ones cannot change which rules match,
and making them all cost more with every turn of a long conversation. When no rule
matches, Rasa names the prediction after every state (``_create_feature_key``); those
are then made in full, except when the states were made from the message's text:
``RulePolicy._predict`` uses that name only when a rule matched, so it is never read.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from rasa.core.featurizers.tracker_featurizers import MaxHistoryTrackerFeaturizer
from rasa.core.policies.policy import SupportedData
from rasa.core.policies.rule_policy import RULES, RULES_FOR_LOOP_UNHAPPY_PATH, RulePolicy
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.constants import PREVIOUS_ACTION, SHOULD_NOT_BE_SET, USER
from rasa.shared.core.domain import Domain, State
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import ACTION_NAME, INTENT

from bot.dialogue.newest_states import NewestStates, newest_states

ANY = None  # a rule that does not name the previous action or the intent
Names = tuple[str | None, str | None]


def _bound(value: object) -> str | None:
    """A name the conversation must have (Rasa's test treats SHOULD_NOT_BE_SET differently)."""
    return value if isinstance(value, str) and value and value != SHOULD_NOT_BE_SET else ANY


class RuleIndex:
    """The rule keys of one lookup, filed by the names of their newest state."""

    def __init__(self, lookup: dict[str, str], newest_state) -> None:
        self.lookup = lookup  # held, so the index is only reused for this very dict
        self.size = len(lookup)
        self.starts: list[str] = []  # rules whose newest state is a conversation start
        self.by_names: dict[Names, list[str]] = defaultdict(list)
        for key in lookup:
            newest = newest_state(key)
            previous = newest.get(PREVIOUS_ACTION)
            if not previous:
                self.starts.append(key)
            else:
                names = (
                    _bound(previous.get(ACTION_NAME)),
                    _bound(newest.get(USER, {}).get(INTENT)),
                )
                self.by_names[names].append(key)

    def candidates(self, newest: State) -> Iterable[str]:
        """Every rule that can match a conversation whose newest state is `newest`."""
        previous = newest.get(PREVIOUS_ACTION)
        if not previous:  # Rasa matches a start state with start rules only
            return self.starts
        action, intent = previous.get(ACTION_NAME), newest.get(USER, {}).get(INTENT)
        return [
            key
            for names in {(action, intent), (action, ANY), (ANY, intent), (ANY, ANY)}
            for key in self.by_names.get(names, ())
        ]


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True
)
class BoundedRulePolicy(RulePolicy):
    """RulePolicy that tests only the rules that can match the conversation's newest turn."""

    def _get_possible_keys(self, lookup: dict[str, str], states: list[State]) -> set[str]:
        if not states:
            return set(lookup)
        newest_first = states[::-1]
        return {
            key
            for key in self._index(lookup).candidates(newest_first[0])
            # Training removes contradicted rules from the lookup (RulePolicy._check_prediction).
            if key in lookup and self._rule_matches(key, newest_first)
        }

    def _index(self, lookup: dict[str, str]) -> RuleIndex:
        indexes = self.__dict__.setdefault("_rule_indexes", {})
        index = indexes.get(id(lookup))
        if index is None or index.lookup is not lookup or index.size != len(lookup):
            index = indexes[id(lookup)] = RuleIndex(
                lookup, lambda key: self._rule_key_to_state(key)[-1]
            )
        return index

    def _rule_matches(self, rule_key: str, newest_first: list[State]) -> bool:
        """RulePolicy's test, turn by turn, for the turns the rule covers only."""
        covered = newest_first[: len(self._rule_key_to_state(rule_key))]
        return all(
            self._is_rule_applicable(rule_key, turn, state) for turn, state in enumerate(covered)
        )

    def _prediction_states(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        use_text_for_last_user_input: bool = False,
        rule_only_data: dict[str, Any] | None = None,
    ) -> list[State]:
        def every() -> list[State]:
            return super(BoundedRulePolicy, self)._prediction_states(
                tracker, domain, use_text_for_last_user_input, rule_only_data
            )

        # Only for what RulePolicy asks in conversation: its own featurizer, no rule-only
        # turns left out, a plain tracker (training's trackers keep their states already).
        if (
            type(self.featurizer) is not MaxHistoryTrackerFeaturizer
            or self.supported_data() == SupportedData.ML_DATA
            or type(tracker) is not DialogueStateTracker
        ):
            return every()
        return newest_states(
            self.featurizer,
            tracker,
            domain,
            self._longest_rule(),
            use_text_for_last_user_input,
            every,
        )

    def _create_feature_key(self, states: list[State]) -> str | None:
        if isinstance(states, NewestStates):
            if states.from_text:
                return None  # RulePolicy._predict drops it: no rule matched the text
            states = states.every()
        return super()._create_feature_key(states)

    def _longest_rule(self) -> int:
        """How many turns the longest rule has (rules are only ever removed from a lookup)."""
        lookups = [self.lookup.get(RULES) or {}, self.lookup.get(RULES_FOR_LOOP_UNHAPPY_PATH) or {}]
        key = tuple(id(lookup) for lookup in lookups)
        known = self.__dict__.get("_longest")
        if known is None or known[0] != key:
            longest = max(
                (len(self._rule_key_to_state(rule)) for lookup in lookups for rule in lookup),
                default=1,
            )
            known = self.__dict__["_longest"] = (key, longest)
        return known[1]

"""Rasa's own consistency checks over domain, rules and NLU data, plus ours."""

import subprocess
import sys

import yaml

from bot.knowledge import load_knowledge
from bot.ops import PROJECT_ROOT


def test_rasa_data_validate_passes():
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "rasa",
            "data",
            "validate",
            "--config",
            "config.yml",
            "--domain",
            "domain.yml",
            "--data",
            "bot/data",
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


def _domain_intents():
    return yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())["intents"]


def _rule_intents():
    rules = yaml.safe_load((PROJECT_ROOT / "bot" / "data" / "rules.yml").read_text())["rules"]
    found = set()
    for rule in rules:
        for step in rule["steps"]:
            for option in step.get("or", [step]):
                if "intent" in option:
                    found.add(option["intent"])
    return found


def test_every_knowledge_entry_has_an_intent_and_a_rule():
    intents = set(_domain_intents())
    missing = [topic for topic in load_knowledge().entries if topic not in intents]
    assert not missing
    assert set(load_knowledge().entries) <= _rule_intents()


def test_every_domain_intent_is_handled_by_a_rule():
    assert set(_domain_intents()) <= _rule_intents()


def test_every_conversation_intent_has_its_reply_in_the_knowledge_file():
    rules = yaml.safe_load((PROJECT_ROOT / "bot" / "data" / "rules.yml").read_text())["rules"]
    converse = next(r for r in rules if r["steps"][-1] == {"action": "action_converse"})
    intents = {option["intent"] for option in converse["steps"][0]["or"]}
    assert {"greeting", "goodbye", "thanks", "bot-identity"} <= intents
    assert intents <= set(load_knowledge().conversation)

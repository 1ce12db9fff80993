"""The stock baseline is Rasa's own `rasa init` config; the command line refuses bad input."""

import argparse
import json
from dataclasses import asdict
from importlib.util import find_spec
from pathlib import Path

import pytest
import yaml

from bench.__main__ import arguments, counts, levels, targets
from bench.baseline import STOCK_CONFIG, STOCK_PREFIX, stock_inputs, stock_model_path
from bench.runner import message_count
from bench.training import Training, recorded_training
from bot.ops import PROJECT_ROOT
from bot.ops.model import MODEL_PREFIX, model_path

RASA_INIT_CONFIG = Path(find_spec("rasa").origin).parent / "cli" / "initial_project" / "config.yml"


def test_the_baseline_config_is_the_one_rasa_init_writes_with_a_fixed_assistant_id():
    ours, stock = (yaml.safe_load(p.read_text()) for p in (STOCK_CONFIG, RASA_INIT_CONFIG))
    assert stock.pop("assistant_id") == "placeholder_default"
    assert ours.pop("assistant_id") != "placeholder_default"
    assert ours == stock
    assert ours["language"] == "en"
    assert ours["pipeline"] is None and ours["policies"] is None  # Rasa's defaults, unchanged


def test_the_baseline_model_is_named_after_what_shapes_it_and_nothing_else():
    assert stock_model_path().name.startswith(STOCK_PREFIX) and STOCK_PREFIX != MODEL_PREFIX
    assert stock_model_path().parent == model_path().parent
    inputs = {p.relative_to(PROJECT_ROOT).as_posix() for p in stock_inputs()}
    assert {"bench/baseline/config.yml", "domain.yml", "requirements.txt"} <= inputs
    assert "bot/data/rules.yml" in inputs and any(p.startswith("bot/data/nlu/") for p in inputs)
    # It uses neither the knowledge file nor our spaCy pipeline and entity component.
    assert not any(p.startswith(("bot/knowledge/", "bot/language/")) for p in inputs)
    assert "config.yml" not in inputs


def test_a_recorded_training_time_is_reused_without_training(tmp_path):
    kept = tmp_path / "stock-0123.tar.gz"
    record = tmp_path / "work" / "timings" / "stock-0123.tar.gz.json"
    record.parent.mkdir(parents=True)
    measured = Training("bench/baseline/config.yml", 1500.0, 2**30, "2026-05-01")
    record.write_text(json.dumps(asdict(measured)))
    assert recorded_training(STOCK_CONFIG, kept, tmp_path / "work") == (measured, False)


def test_counts_levels_and_targets_are_parsed():
    assert counts("1=300, 10=3000") == {1: 300, 10: 3000}
    assert levels("1,10,50") == [1, 10, 50]
    assert targets("stock,production") == ["stock", "production"]


@pytest.mark.parametrize(
    ("parse", "text"),
    [
        (counts, "1:300"),
        (counts, "1=0"),
        (counts, "ten=3"),
        (levels, "1,x"),
        (levels, "0"),
        (targets, "embedded,kubernetes"),
    ],
)
def test_bad_arguments_are_refused_with_a_reason(parse, text):
    with pytest.raises(argparse.ArgumentTypeError):
        parse(text)


@pytest.mark.parametrize(
    "argv",
    [["--rasa-instances", "0"], ["--timeout", "-1"], ["--warm-up", "x"], ["--seconds", "0"]],
)
def test_bad_options_stop_with_a_message(argv, capsys):
    with pytest.raises(SystemExit):
        arguments(argv)
    error = capsys.readouterr().err
    assert "must be more than 0" in error or "is not a number" in error


def test_the_production_profile_holds_50_visitors_for_10000_messages_by_default():
    args = arguments([])
    assert args.levels == [1, 10, 50]
    assert message_count(args, "production", 50) >= 10_000
    assert message_count(args, "stock", 50) < message_count(args, "production", 50)
    args = arguments(["--messages", "1=5,10=6,50=7", "--production-messages", "50=8"])
    assert [message_count(args, "embedded", n) for n in (1, 10, 50)] == [5, 6, 7]
    assert message_count(args, "production", 50) == 8

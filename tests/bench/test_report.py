"""The benchmark report: tables, the performance goals, the plot, the results file."""

import pytest

from bench.goals import goals
from bench.plot import plot
from bench.report import markdown, terminal
from bench.results import (
    ACTIONS,
    RASA,
    WEB,
    BenchResult,
    LevelResult,
    Machine,
    TargetResult,
)
from bench.stats import Summary
from bench.training import Training

MACHINE = Machine("AMD EPYC", 2, 23.5, "Debian GNU/Linux 12 (bookworm)", "3.10.13", "3.6.21")
MIB = 2**20


def level(visitors, per_second, p95, messages=1000, errors=0):
    return LevelResult(
        visitors=visitors,
        summary=Summary(messages, errors, p95 / 2, p95, p95 * 1.5, per_second),
        errors={"timeout": errors} if errors else {},
        peak_bytes={RASA: 1200 * MIB, ACTIONS: 150 * MIB, WEB: 90 * MIB},
        pss_bytes={RASA: 900 * MIB, ACTIONS: 60 * MIB, WEB: 45 * MIB},
        cpu_seconds={RASA: messages * 0.0456, ACTIONS: messages * 0.0025, WEB: 0.0},
    )


def target(key, levels):
    return TargetResult(
        key=key,
        title=f"{key} title",
        startup_seconds={ACTIONS: 2.5, RASA: 31.25, WEB: 1.0},
        idle_bytes={RASA: 1000 * MIB, ACTIONS: 140 * MIB, WEB: 80 * MIB},
        idle_pss_bytes={RASA: 700 * MIB, ACTIONS: 55 * MIB, WEB: 40 * MIB},
        levels=levels,
    )


def result(production_10_rate=60.0, production_10_p95=180.0, errors_at_50=0, messages_at_50=10_000):
    return BenchResult(
        date="2026-05-01",
        command="make bench",
        machine=MACHINE,
        targets=[
            target("embedded", [level(1, 20, 60), level(10, 35, 400)]),
            target(
                "production",
                [
                    level(1, 22, 50),
                    level(10, production_10_rate, production_10_p95),
                    level(50, 58, 900, messages_at_50, errors_at_50),
                ],
            ),
            target("stock", [level(1, 18, 70), level(10, 30, 500)]),
        ],
        training=[Training("config.yml", 140.4, 1300 * MIB, "2026-04-30")],
    )


def verdicts(bench):
    return [goal.met for goal in goals(bench)]


def test_all_targets_met():
    assert verdicts(result()) == [True, True, True]


def test_each_target_can_fail_on_its_own():
    assert verdicts(result(production_10_p95=250)) == [False, True, True]
    assert verdicts(result(errors_at_50=1)) == [True, False, True]
    assert verdicts(result(messages_at_50=9_999)) == [True, False, True]
    assert verdicts(result(production_10_rate=44.9)) == [True, True, False]  # 1.497x of 30


def test_targets_not_in_the_run_are_not_measured_rather_than_failed():
    bench = result()
    bench.targets = [t for t in bench.targets if t.key != "stock"]
    assert verdicts(bench) == [True, True, None]
    assert goals(bench)[2].measured == "not measured"


def test_the_markdown_states_machine_command_figures_and_verdicts():
    text = markdown(result(production_10_rate=44.9), "benchmarks.png")
    assert "AMD EPYC, 2 cores, 23.5 GiB RAM, Debian GNU/Linux 12 (bookworm), Python 3.10.13" in text
    assert "`make bench`" in text
    assert "![p95 latency" in text and "(benchmarks.png)" in text
    assert "| production | 10 | 1,000 | 0 | 90 | 180 | 270 | 44.9 | 1,200 | 150 | 90 |" in text
    assert "| stock | 10 | 1,000 | 0 | 250 | 500 | 750 | 30.0 | 1,200 | 150 | 90 |" in text
    # Rounded down, so a ratio just short of the target never shows as reaching it.
    assert "1.49x (44.9 against 30.0 messages/s)" in text
    assert "**not met**" in text
    assert "| production | 2.5 | 31.2 | 1.0 | 140 | 1,000 | 80 |" in text
    assert "| config.yml | 140 | 1,300 | 2026-04-30 |" in text
    assert "| embedded | 10 | 45.6 | 2.5 | 0.0 |" in text


def test_errors_are_listed_by_target_level_and_kind():
    text = markdown(result(errors_at_50=3), "benchmarks.png")
    assert "- production, 50 visitors: timeout x3" in text
    assert "Errors: none." in markdown(result(), "benchmarks.png")


def test_the_terminal_table_lines_up_and_ends_with_the_verdicts():
    text = terminal(result())
    table, cpu = (part.splitlines() for part in text.split("\n\n")[:2])
    assert len({len(line) for line in table}) == 1
    assert len(table) == 2 + 7  # header, rule, one row per target and level
    assert len({len(line) for line in cpu[1:]}) == 1 and len(cpu) == 1 + 2 + 7
    assert text.rstrip().endswith("(met)")


def test_the_plot_is_a_png(tmp_path):
    path = tmp_path / "bench.png"
    plot(result(), path)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_results_survive_a_round_trip_through_json(tmp_path):
    bench = result(errors_at_50=2)
    bench.save(tmp_path / "results.json")
    assert BenchResult.load(tmp_path / "results.json") == bench


@pytest.mark.parametrize("missing", ["p95", "stock-rate"])
def test_a_run_without_replies_is_not_a_pass(missing):
    bench = result()
    if missing == "p95":
        bench.target("production").level(10).summary = Summary(5, 5, None, None, None, 0.0)
        assert verdicts(bench)[0] is None
    else:
        bench.target("stock").level(10).summary = Summary(5, 5, None, None, None, 0.0)
        assert verdicts(bench)[2] is None


def test_memory_really_occupied_is_listed_after_start_up_and_each_level():
    text = markdown(result(), "benchmarks.png")
    assert "| production | after start-up | 700 | 55 | 40 |" in text
    assert "| production | after 50 visitors | 900 | 60 | 45 |" in text
    assert "Memory really occupied (PSS, MiB):" in terminal(result())


def test_results_from_before_pss_was_measured_still_load(tmp_path):
    old = result()
    for t in old.targets:
        t.idle_pss_bytes = {}
        for lvl in t.levels:
            lvl.pss_bytes = {}
    old.save(tmp_path / "results.json")
    data = (tmp_path / "results.json").read_text().replace('"idle_pss_bytes": {},', "")
    data = data.replace('"pss_bytes": {},', "")
    assert "pss_bytes" not in data  # as a results file written before PSS was measured
    (tmp_path / "results.json").write_text(data)
    loaded = BenchResult.load(tmp_path / "results.json")
    assert loaded == old
    assert "| production | after start-up | n/a | n/a | n/a |" in markdown(loaded, "b.png")

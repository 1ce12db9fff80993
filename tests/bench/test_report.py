"""The benchmark report: tables, the performance goals, the plot, the results file."""

import pytest

from bench.goals import goals
from bench.long_conversation import LongResult
from bench.plot import plot, plot_turns
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


def long(first_ms, last_ms, turns=100, visitors=2):
    """Conversations whose first ten turns take first_ms and last ten last_ms."""
    per_turn = [
        first_ms if n < 10 else last_ms if n >= turns - 10 else first_ms for n in range(turns)
    ]
    return LongResult(turns, visitors, 1.0, [list(per_turn) for _ in range(visitors)])


def target(key, levels, long_result=None):
    return TargetResult(
        key=key,
        title=f"{key} title",
        startup_seconds={ACTIONS: 2.5, RASA: 31.25, WEB: 1.0},
        idle_bytes={RASA: 1000 * MIB, ACTIONS: 140 * MIB, WEB: 80 * MIB},
        idle_pss_bytes={RASA: 700 * MIB, ACTIONS: 55 * MIB, WEB: 40 * MIB},
        levels=levels,
        long=long_result,
    )


def result(
    production_10_rate=95.0,
    production_10_p95=90.0,
    errors_at_50=0,
    messages_at_50=10_000,
    production_last_ms=25.0,
):
    return BenchResult(
        date="2026-05-01",
        command="make bench",
        machine=MACHINE,
        targets=[
            target("embedded", [level(1, 20, 60), level(10, 65, 400)], long(20.0, 21.0)),
            target(
                "production",
                [
                    level(1, 22, 50),
                    level(10, production_10_rate, production_10_p95),
                    level(50, 58, 900, messages_at_50, errors_at_50),
                ],
                long(22.0, production_last_ms),
            ),
            target("stock", [level(1, 18, 70), level(10, 20, 500)], long(40.0, 80.0)),
            target("stock-2w", [level(1, 18, 70), level(10, 30, 500)]),
        ],
        training=[Training("config.yml", 140.4, 1300 * MIB, "2026-04-30")],
    )


def verdicts(bench):
    return [goal.met for goal in goals(bench)]


def test_all_targets_met():
    assert verdicts(result()) == [True, True, True, True, True]


def test_each_target_can_fail_on_its_own():
    assert verdicts(result(production_10_p95=100)) == [True, True, True, True, True]
    assert verdicts(result(production_10_p95=101)) == [False, True, True, True, True]
    assert verdicts(result(errors_at_50=1)) == [True, False, True, True, True]
    assert verdicts(result(messages_at_50=9_999)) == [True, False, True, True, True]
    # 2.997x of stock-2w's 30 messages/s
    assert verdicts(result(production_10_rate=89.9)) == [True, True, False, True, True]
    # 25.4 ms against 22 ms is 1.155x
    assert verdicts(result(production_last_ms=25.4)) == [True, True, True, True, False]


def test_throughput_is_compared_at_equal_workers():
    bench = result()
    bench.targets = [t for t in bench.targets if t.key != "stock-2w"]
    assert verdicts(bench) == [True, True, None, True, True]  # not with the one-worker stock
    assert goals(bench)[2].measured == "not measured"
    assert "stock-2w's" in goals(bench)[2].name and "stock's" in goals(bench)[3].name


def test_targets_not_in_the_run_are_not_measured_rather_than_failed():
    bench = result()
    bench.targets = [t for t in bench.targets if not t.key.startswith("stock")]
    bench.target("production").long = None
    assert verdicts(bench) == [True, True, None, None, None]


def test_the_markdown_states_machine_command_figures_and_verdicts():
    text = markdown(result(production_10_rate=89.9, production_10_p95=180), "benchmarks.png")
    assert "AMD EPYC, 2 cores, 23.5 GiB RAM, Debian GNU/Linux 12 (bookworm), Python 3.10.13" in text
    assert "`make bench`" in text
    assert "![p95 latency" in text and "(benchmarks.png)" in text
    assert "| production | 10 | 1,000 | 0 | 90 | 180 | 270 | 89.9 | 1,200 | 150 | 90 |" in text
    assert "| stock-2w | 10 | 1,000 | 0 | 250 | 500 | 750 | 30.0 | 1,200 | 150 | 90 |" in text
    # Rounded down, so a ratio just short of the target never shows as reaching it.
    assert "2.99x (89.9 against 30.0 messages/s)" in text
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
    assert len(table) == 2 + 9  # header, rule, one row per target and level
    assert len({len(line) for line in cpu[1:]}) == 1 and len(cpu) == 1 + 2 + 9
    assert text.rstrip().endswith("(met)")


def test_the_plots_are_pngs(tmp_path):
    path, by_turn = tmp_path / "bench.png", tmp_path / "bench-turns.png"
    plot(result(), path)
    assert plot_turns(result(), by_turn)
    for picture in (path, by_turn):
        assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_without_long_conversations_there_is_no_plot_by_turn(tmp_path):
    bench = result()
    for t in bench.targets:
        t.long = None
    assert not plot_turns(bench, tmp_path / "none.png")
    assert not (tmp_path / "none.png").exists()
    assert "## Long conversations" not in markdown(bench, "benchmarks.png")


def test_long_conversations_are_reported_by_their_first_and_last_ten_turns():
    text = markdown(result(production_last_ms=30.0), "benchmarks.png", "benchmarks-turns.png")
    assert "| production | 2 | 100 | 22 | 30 | 1.36x |" in text
    assert "| stock | 2 | 100 | 40 | 80 | 2.00x |" in text
    assert "![median latency by turn number](benchmarks-turns.png)" in text
    assert "1.36x (30 ms at turns 91-100 against 22 ms at turns 1-10)" in text


def test_the_median_of_each_turn_leaves_out_turns_without_a_reply():
    held = LongResult(3, 2, 1.0, [[10.0, None, 30.0], [20.0, 40.0, 50.0]])
    assert held.by_turn() == [15.0, 40.0, 40.0]
    assert held.first_ms == 30.0  # the median of 10, 30, 20, 40, 50: turns 1 to 3 are all ten


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
        bench.target("stock-2w").level(10).summary = Summary(5, 5, None, None, None, 0.0)
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

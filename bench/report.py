"""Present a benchmark: tables for the terminal and the Markdown of docs/benchmarks.md."""

from __future__ import annotations

from bench.goals import goals
from bench.results import ACTIONS, RASA, SERVICES, WEB, BenchResult, TargetResult


def ms(value: float | None) -> str:
    return "n/a" if value is None else f"{value:,.0f}"


def mib(value: int | None) -> str:
    return "n/a" if not value else f"{value / 2**20:,.0f}"


def _verdict(met: bool | None) -> str:
    return {True: "met", False: "**not met**", None: "not measured"}[met]


RESULT_HEADER = [
    "target",
    "visitors",
    "messages",
    "errors",
    "p50 ms",
    "p95 ms",
    "p99 ms",
    "messages/s",
    *(f"{name} MiB" for name in SERVICES),
]


def result_rows(result: BenchResult) -> list[list[str]]:
    rows = []
    for target in result.targets:
        for level in target.levels:
            s = level.summary
            rows.append(
                [
                    target.key,
                    str(level.visitors),
                    f"{s.messages:,}",
                    str(s.errors),
                    ms(s.p50_ms),
                    ms(s.p95_ms),
                    ms(s.p99_ms),
                    f"{s.per_second:.1f}",
                    *(mib(level.peak_bytes.get(name)) for name in SERVICES),
                ]
            )
    return rows


CPU_HEADER = ["target", "visitors", *(f"{name} ms" for name in SERVICES)]
LONG_HEADER = ["target", "conversations", "turns", "turns 1-10 ms", "last 10 turns ms", "ratio"]


def long_rows(result: BenchResult) -> list[list[str]]:
    """The long conversations: median latency of the first and the last ten turns."""
    return [
        [
            t.key,
            str(t.long.visitors),
            str(t.long.turns),
            ms(t.long.first_ms),
            ms(t.long.last_ms),
            "n/a" if t.long.ratio is None else f"{t.long.ratio:.2f}x",
        ]
        for t in result.targets
        if t.long is not None
    ]


PSS_HEADER = ["target", "when", *(f"{name} MiB" for name in SERVICES)]


def pss_rows(result: BenchResult) -> list[list[str]]:
    """Memory each service really occupies: after start-up, then at the end of each level."""
    rows = []
    for target in result.targets:
        rows.append(
            [target.key, "after start-up", *(mib(target.idle_pss_bytes.get(n)) for n in SERVICES)]
        )
        rows += [
            [
                target.key,
                f"after {level.visitors} visitors",
                *(mib(level.pss_bytes.get(name)) for name in SERVICES),
            ]
            for level in target.levels
        ]
    return rows


def cpu_rows(result: BenchResult) -> list[list[str]]:
    """CPU milliseconds each service spent per message: steady even on a busy machine."""
    return [
        [
            target.key,
            str(level.visitors),
            *(
                f"{level.cpu_seconds[name] * 1000 / level.summary.messages:.1f}"
                if name in level.cpu_seconds and level.summary.messages
                else "n/a"
                for name in SERVICES
            ),
        ]
        for target in result.targets
        for level in target.levels
    ]


def text_table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(cell) for cell in column) for column in zip(header, *rows, strict=True)]
    lines = [header, ["-" * w for w in widths], *rows]
    return "\n".join(
        "  ".join(c.rjust(w) for c, w in zip(line, widths, strict=True)) for line in lines
    )


def markdown_table(header: list[str], rows: list[list[str]]) -> str:
    lines = [header, ["---"] * len(header), *rows]
    return "\n".join("| " + " | ".join(line) + " |" for line in lines)


def startup_rows(targets: list[TargetResult]) -> list[list[str]]:
    return [
        [
            t.key,
            *(
                f"{t.startup_seconds[name]:.1f}" if name in t.startup_seconds else "n/a"
                for name in (ACTIONS, RASA, WEB)
            ),
            *(mib(t.idle_bytes.get(name)) for name in (ACTIONS, RASA, WEB)),
        ]
        for t in targets
    ]


STARTUP_HEADER = [
    "target",
    f"{ACTIONS} s",
    f"{RASA} s",
    f"{WEB} s",
    f"{ACTIONS} MiB",
    f"{RASA} MiB",
    f"{WEB} MiB",
]


def terminal(result: BenchResult) -> str:
    parts = [
        text_table(RESULT_HEADER, result_rows(result)),
        "",
        "CPU milliseconds per message:",
        text_table(CPU_HEADER, cpu_rows(result)),
        "",
        "Memory really occupied (PSS, MiB):",
        text_table(PSS_HEADER, pss_rows(result)),
        "",
        "Start-up (process start to healthy) and memory after start-up:",
        text_table(STARTUP_HEADER, startup_rows(result.targets)),
    ]
    if long_rows(result):
        parts += ["", "Long conversations:", text_table(LONG_HEADER, long_rows(result))]
    if result.training:
        parts += ["", "Training from scratch:"]
        parts += [
            f"  {t.config}: {t.seconds:.0f} s, peak {mib(t.peak_bytes)} MiB"
            for t in result.training
        ]
    parts += ["", "Performance goals:"]
    parts += [f"  {g.name}: {g.measured} ({_verdict(g.met)})" for g in goals(result)]
    return "\n".join(parts)


def _introduction(result: BenchResult) -> list[str]:
    m = result.machine
    titles = "\n".join(f"- **{t.key}**: {t.title}" for t in result.targets)
    return [
        "# Benchmarks",
        "",
        f"Measured on {result.date} with `{result.command}` on {m.cpu}, {m.cores} cores, "
        f"{m.memory_gib} GiB RAM, {m.os}, Python {m.python}, Rasa {m.rasa}. The simulated "
        "visitors ran on the same machine, so they took some of its CPU.",
        "",
        "What was measured:",
        "",
        titles,
        "",
        "Each simulated visitor holds one conversation after another with Rasa's REST channel "
        "(a new random conversation id each time), drawn from the held-out questions "
        "(`tests/evaluation/heldout.yml`): sometimes a greeting, two to four questions, context "
        'follow-ups ("how do I apply for it?", "what does it pay?", "tell me more"), '
        "clicks on the buttons the assistant offers, thumbs up or down, sometimes a goodbye. "
        "It sends the next message as soon as the reply arrives (no think time). Latency is "
        "measured by the visitor, from sending to the whole reply. An error is an HTTP error, "
        "a timeout or a reply that breaks the answer contract (not exactly one `custom` "
        "payload with a topic, or a knowledge answer without its source and reviewed date). "
        "Messages per second count answered messages only. Memory is the peak resident set "
        "(RSS) sampled every half second, summed over each service's process tree (all Rasa "
        "instances and Sanic workers together); forked workers share some pages, so this is "
        "an upper bound; the memory each service really occupies (PSS) is in its own table "
        "below. The web app is started as `make run` starts it, so its memory is "
        "listed, but the visitors talk to Rasa directly, as a load balancer in front of "
        "Rasa would; with several Rasa instances each conversation stays on one of them. "
        "The stock targets are Rasa itself (bench/stock.py): `rasa run` from Rasa's own "
        "entry point in Python's isolated mode, so no module of this project is loaded, "
        "with Rasa's REST channel and SQL tracker store on SQLite, the `rasa init` config "
        "trained on this project's domain and data, and the same action server; `stock` "
        "has one Sanic worker like `embedded`, `stock-2w` two and Rasa's Redis lock store "
        "like `production`, and each is compared with the one that has as many workers.",
        "",
    ]


def _results(result: BenchResult, plot_name: str) -> list[str]:
    goal_rows = [[g.name, g.measured, _verdict(g.met)] for g in goals(result)]
    error_lines = [
        f"- {t.key}, {lvl.visitors} visitors: "
        + ", ".join(f"{kind} x{count}" for kind, count in sorted(lvl.errors.items()))
        for t in result.targets
        for lvl in t.levels
        if lvl.errors
    ]
    return [
        "## Performance goals",
        "",
        markdown_table(["goal", "measured", "verdict"], goal_rows),
        "",
        "## Results",
        "",
        f"![p95 latency and messages per second against concurrent visitors]({plot_name})",
        "",
        markdown_table(RESULT_HEADER, result_rows(result)),
        "",
        "Errors: " + ("none." if not error_lines else "\n\n" + "\n".join(error_lines)),
        "",
        "CPU time each service spent per message (milliseconds, user and system). It "
        "changes less than latency when something else runs on the machine, and shows "
        "where the cost is:",
        "",
        markdown_table(CPU_HEADER, cpu_rows(result)),
        "",
        "Memory each service really occupies (MiB): the proportional set size (PSS), which "
        "splits each page shared by forked workers among them, summed over the service's "
        "processes, after start-up and at the end of each level. Read from "
        "/proc/<pid>/smaps_rollup at those moments only, because the kernel walks every "
        "mapping to compute it:",
        "",
        markdown_table(PSS_HEADER, pss_rows(result)),
        "",
        "Where a message's time goes inside the Rasa server, part by part: "
        "[profile.md](profile.md) (`make profile`); what was changed because of it, and what "
        "it gained: [performance.md](performance.md).",
        "",
    ]


def _long_conversations(result: BenchResult, turns_plot: str | None) -> list[str]:
    rows = long_rows(result)
    if not rows:
        return []
    long = next(t.long for t in result.targets if t.long is not None)
    return [
        "## Long conversations",
        "",
        f"Besides the load, {long.visitors} visitors each held one conversation of "
        f"{long.turns} turns with each target (right after its warm-up, before the load), "
        f"drawn like the load's conversations, one after another under the same "
        f"conversation id, with {long.pause_seconds:g} s between a reply and the next "
        "message. The median latency of the first ten turns and of the last ten (over "
        "both visitors), and of each turn:",
        "",
        markdown_table(LONG_HEADER, rows),
        "",
        *([f"![median latency by turn number]({turns_plot})", ""] if turns_plot else []),
    ]


def _startup_and_training(result: BenchResult) -> list[str]:
    training_rows = [
        [t.config, f"{t.seconds:.0f}", mib(t.peak_bytes), t.measured] for t in result.training
    ]
    sections = [
        "## Start-up",
        "",
        "Seconds from starting each process to its first healthy answer, and its memory "
        "(RSS, MiB) right after start-up:",
        "",
        markdown_table(STARTUP_HEADER, startup_rows(result.targets)),
        "",
        "## Training from scratch",
        "",
    ]
    if training_rows:
        sections += [
            "`rasa train` with an empty training cache, on the same domain and data. Each "
            "config is timed when its model is first trained and the time is kept with it "
            "(`--retrain` measures again):",
            "",
            markdown_table(["config", "seconds", "peak MiB", "measured on"], training_rows),
        ]
    else:
        sections.append("Not measured in this run.")
    return sections


def markdown(result: BenchResult, plot_name: str, turns_plot: str | None = None) -> str:
    sections = [
        *_introduction(result),
        *_results(result, plot_name),
        *_long_conversations(result, turns_plot),
        *_startup_and_training(result),
    ]
    return "\n".join(sections) + "\n"

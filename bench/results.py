"""What one `make bench` measured, kept as JSON so the report can be drawn again."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from bench.long_conversation import LongResult
from bench.stats import Summary
from bench.training import Training

# Names of the services in the report; all Rasa instances count together.
RASA, ACTIONS, WEB = "Rasa", "Action server", "Web app"
SERVICES = (RASA, ACTIONS, WEB)


@dataclass(frozen=True)
class Machine:
    cpu: str
    cores: int
    memory_gib: float
    os: str
    python: str
    rasa: str


@dataclass
class LevelResult:
    visitors: int
    summary: Summary
    errors: dict[str, int] = field(default_factory=dict)
    peak_bytes: dict[str, int] = field(default_factory=dict)  # per service, whole process tree
    pss_bytes: dict[str, int] = field(default_factory=dict)  # per service, at the level's end
    cpu_seconds: dict[str, float] = field(default_factory=dict)  # per service, during the run


@dataclass
class TargetResult:
    key: str
    title: str
    startup_seconds: dict[str, float] = field(default_factory=dict)
    idle_bytes: dict[str, int] = field(default_factory=dict)  # after start-up, before any load
    idle_pss_bytes: dict[str, int] = field(default_factory=dict)  # the same moment, PSS
    levels: list[LevelResult] = field(default_factory=list)
    long: LongResult | None = None  # the long-conversation scenario, when it ran

    def level(self, visitors: int) -> LevelResult | None:
        return next((lvl for lvl in self.levels if lvl.visitors == visitors), None)


@dataclass
class BenchResult:
    date: str
    command: str
    machine: Machine
    targets: list[TargetResult] = field(default_factory=list)
    training: list[Training] = field(default_factory=list)

    def target(self, key: str) -> TargetResult | None:
        return next((t for t in self.targets if t.key == key), None)

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(asdict(self), indent=1), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> BenchResult:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(
            date=data["date"],
            command=data["command"],
            machine=Machine(**data["machine"]),
            targets=[
                TargetResult(
                    key=t["key"],
                    title=t["title"],
                    startup_seconds=t["startup_seconds"],
                    idle_bytes=t["idle_bytes"],
                    idle_pss_bytes=t.get("idle_pss_bytes", {}),  # not in older results
                    levels=[
                        LevelResult(
                            visitors=lvl["visitors"],
                            summary=Summary(**lvl["summary"]),
                            errors=lvl["errors"],
                            peak_bytes=lvl["peak_bytes"],
                            pss_bytes=lvl.get("pss_bytes", {}),
                            cpu_seconds=lvl["cpu_seconds"],
                        )
                        for lvl in t["levels"]
                    ],
                    long=LongResult(**t["long"]) if t.get("long") else None,
                )
                for t in data["targets"]
            ],
            training=[Training(**t) for t in data["training"]],
        )

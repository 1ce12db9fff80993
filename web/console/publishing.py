""""Train and publish": train a model from the current training data and knowledge, score
it on the held-out set, and make it live only if it is not worse than the live model.

The work runs in a thread of the web app (the console stays usable) and in processes of
its own: `python -m bot.ops.model` trains (as `make train` does, into bot/models/, named
after its inputs) and `python -m bot.content.evaluation` scores a model on servers of its
own. Each step writes its progress to the job's row in ``console_models``. Making a model
live is one row update; every Rasa worker then loads it beside the old one
(bot/channels/live_model.py) and reports that it has (bot/storage/model_servers.py). The
model is "Live" only once every worker heard from lately answers with it: until then the
page says "Going live, 1 of 2 workers answer with it", and after ACTIVATION_WAIT it says
which workers have not switched and why.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from bot.content import content_root
from bot.storage import database as db
from bot.storage import model_servers
from bot.storage.audit import record

# A new model may answer at most this much less often with the right topic, and at most
# this much more often confidently with a wrong one, than the live model (shares of the
# held-out questions). Both are shown on the Models page.
TOLERANCE_RIGHT = float(os.environ.get("PUBLISH_TOLERANCE_RIGHT") or 0.01)
TOLERANCE_WRONG = float(os.environ.get("PUBLISH_TOLERANCE_WRONG") or 0.01)
# The same for the Welsh held-out set: wider, as it has 208 questions against 535, so a
# retrain moves its shares about half as much again (one question is 0.5 points).
TOLERANCE_WELSH_RIGHT = float(os.environ.get("PUBLISH_TOLERANCE_WELSH_RIGHT") or 0.02)
TOLERANCE_WELSH_WRONG = float(os.environ.get("PUBLISH_TOLERANCE_WELSH_WRONG") or 0.02)
# Seconds for every Rasa worker to load a model made live (loading takes about a minute on
# a busy machine); after it the page says which workers have not.
ACTIVATION_WAIT = float(os.environ.get("PUBLISH_ACTIVATION_WAIT") or 600)
STALE_JOB = 3 * 3600  # a job this old that never finished was interrupted
RUNNING = ("training", "evaluating", "activating")
EPOCHS = re.compile(r"Epochs:\s+(\d+)%")
_one_job = threading.Lock()


class PublishError(RuntimeError):
    """A job cannot start or a step failed; the message is for the page."""


@dataclass(frozen=True)
class Verdict:
    ok: bool
    reasons: list[str]


def verdict(candidate: dict, live: dict) -> Verdict:
    """Whether the candidate is not worse than the live model, in English and in Welsh,
    and the figures why not."""
    reasons = _worse(candidate, live, "", TOLERANCE_RIGHT, TOLERANCE_WRONG)
    if "welsh" in candidate and "welsh" in live:
        welsh = (TOLERANCE_WELSH_RIGHT, TOLERANCE_WELSH_WRONG)
        reasons += _worse(candidate["welsh"], live["welsh"], "In Welsh: ", *welsh)
    return Verdict(not reasons, reasons)


def _worse(candidate: dict, live: dict, language: str, right: float, wrong: float) -> list[str]:
    reasons = []
    if candidate["right"] < live["right"] - right:
        reasons.append(
            f"{language}Right topic: {candidate['right']:.1%} against {live['right']:.1%} for "
            f"the live model, a fall of more than {right:.1%}."
        )
    if candidate["confident_wrong"] > live["confident_wrong"] + wrong:
        reasons.append(
            f"{language}Confidently wrong: {candidate['confident_wrong']:.1%} against "
            f"{live['confident_wrong']:.1%} for the live model, a rise of more than {wrong:.1%}."
        )
    return reasons


def model_id_of(model: Path) -> str:
    """Rasa's id of a model (in its metadata.json; every turn it answers records it)."""
    with tarfile.open(model, "r:gz") as archive:
        for member in archive:
            if member.name.lstrip("./") == "metadata.json":
                return str(json.load(archive.extractfile(member))["model_id"])
    raise PublishError(f"{model.name} has no Rasa metadata")


def models_dir() -> Path:
    return content_root() / "bot" / "models"


# ---- The table ------------------------------------------------------------------------------


def rows(connection: Connection) -> list[dict]:
    m = db.models.c
    found = [
        dict(row._mapping)
        for row in connection.execute(sa.select(db.models).order_by(m.id.desc()).limit(50))
    ]
    for row in found:
        row["figures"] = json.loads(row["figures"]) if row["figures"] else None
        row["live_figures"] = json.loads(row["live_figures"]) if row["live_figures"] else None
        row["on_disk"] = bool(row["name"]) and (models_dir() / row["name"]).is_file()
        if row["state"] == "live":
            row["rollout"] = went = model_servers.rollout(connection, row["name"])
            waited = time.time() - (row["live_since"] or 0)
            row["overdue"] = not went.complete and waited > ACTIVATION_WAIT
            row["going_live"] = not went.complete and not row["overdue"]
            row["not_everywhere"] = not_everywhere(went) if row["overdue"] else ""
    return found


def live_row(connection: Connection):
    m = db.models.c
    return connection.execute(
        sa.select(db.models).where(m.state == "live").order_by(m.live_since.desc()).limit(1)
    ).first()


def names_by_model_id(connection: Connection) -> dict[str, str]:
    m = db.models.c
    return dict(
        connection.execute(sa.select(m.model_id, m.name).where(m.model_id.isnot(None))).all()
    )


def record_running(connection: Connection, status: dict) -> None:
    """Note the model Rasa serves as live when the console knows of none (the model
    `make run` started with), so it is listed, compared with and can be rolled back to."""
    if live_row(connection) is not None or not status.get("model_file"):
        return
    now = time.time()
    connection.execute(
        db.models.insert().values(
            name=Path(status["model_file"]).name, model_id=status.get("model_id"),
            state="live", progress="Served since the assistant started",
            requested_by="the assistant at start", requested_at=now, finished_at=now,
            live_since=now,
        )
    )


def make_live(connection: Connection, model_row_id: int) -> None:
    m = db.models.c
    now = time.time()
    connection.execute(
        db.models.update().where(m.state == "live", m.id != model_row_id).values(state="retired")
    )
    connection.execute(
        db.models.update().where(m.id == model_row_id).values(state="live", live_since=now)
    )


def rollback_target(connection: Connection):
    """The model that was live before the live one, if its file is still there."""
    m = db.models.c
    for row in connection.execute(
        sa.select(db.models)
        .where(m.state == "retired", m.live_since.isnot(None))
        .order_by(m.live_since.desc())
    ):
        if (models_dir() / row.name).is_file():
            return row
    return None


# ---- The job --------------------------------------------------------------------------------


class Job:
    def __init__(self, engine: Engine, actor: str, row_id: int):
        self.engine, self.actor, self.row_id = engine, actor, row_id

    def update(self, *, only_while_running: bool = False, **values) -> None:
        m = db.models.c
        where = [m.id == self.row_id] + ([m.state.in_(RUNNING)] if only_while_running else [])
        with self.engine.begin() as connection:
            connection.execute(db.models.update().where(*where).values(**values))

    def run(self) -> None:
        try:
            self._run()
        except Exception as error:  # the page says what failed; the live model is untouched
            # (A model already made live stays live: the workers are loading it.)
            self.update(state="failed", reason=str(error)[:2000], finished_at=time.time(),
                        progress="Failed", only_while_running=True)
        finally:
            _one_job.release()

    def _run(self) -> None:
        self.update(progress="Training the model from the training data and knowledge")
        model = self._train()
        model_id = model_id_of(model)
        self.update(name=model.name, model_id=model_id, state="evaluating",
                    progress="Scoring the new model on the held-out questions")
        with self.engine.connect() as connection:
            live = live_row(connection)
        if live is not None and live.name == model.name:
            self.update(state="refused", finished_at=time.time(), progress="Not published",
                        reason="Nothing changed since the live model was trained: it is this one.")
            return
        candidate = evaluate(model)
        self.update(figures=json.dumps(candidate))
        live_figures = self._live_figures(live)
        self.update(live_figures=json.dumps(live_figures) if live_figures else None)
        if live_figures is not None:
            judged = verdict(candidate, live_figures)
            if not judged.ok:
                self.update(state="refused", finished_at=time.time(), progress="Not published",
                            reason=" ".join(judged.reasons))
                self._audit("model-refused", model=model.name)
                return
        self.update(state="activating", progress="Making it live: the assistant is loading it")
        with self.engine.begin() as connection:
            make_live(connection, self.row_id)
            record(connection, self.actor, "model-publish", model=model.name)
        went = wait_until_served(self.engine, model.name, self._progress)
        if went.complete:
            self.update(progress="Live", finished_at=time.time())
        else:
            # The page says which workers have not switched, as it stands when it is shown.
            self.update(progress="Not live on every worker", finished_at=time.time())

    def _progress(self, went: model_servers.Rollout) -> None:
        self.update(progress=f"Going live, {went.summary()}")

    def _train(self) -> Path:
        root = content_root()
        # Rasa writes much to stdout: a file, not a pipe nobody reads while it trains.
        with tempfile.TemporaryFile() as output:
            process = subprocess.Popen(
                [sys.executable, "-m", "bot.ops.model"],
                cwd=root,
                env={**os.environ, "PYTHONPATH": str(root), "RASA_TELEMETRY_ENABLED": "false"},
                stdout=output,
                stderr=subprocess.PIPE,
            )
            last, tail = -1, b""
            for chunk in iter(lambda: process.stderr.read(256), b""):
                tail = (tail + chunk)[-4000:]
                found = EPOCHS.findall(tail.decode("utf-8", "replace"))
                if found and int(found[-1]) != last:
                    last = int(found[-1])
                    self.update(progress=f"Training the model: {last}% of its epochs done")
            code = process.wait()
            output.seek(0)
            printed = output.read().decode("utf-8", "replace").strip().splitlines()
        if code != 0 or not printed or not printed[-1].endswith(".tar.gz"):
            lines = tail.decode("utf-8", "replace").strip().splitlines()
            # A negative code is a signal: something outside stopped it (a kill, the OOM killer).
            how = f"stopped by signal {-code}" if code < 0 else f"exit code {code}"
            raise PublishError(f"Training failed ({how}): " + (lines[-1] if lines else "no output"))
        return Path(printed[-1])

    def _live_figures(self, live) -> dict | None:
        if live is None:
            return None
        # Figures scored before the Welsh set was part of the comparison are scored again.
        if live.figures and "welsh" in json.loads(live.figures):
            return json.loads(live.figures)
        path = models_dir() / live.name
        if not path.is_file():
            raise PublishError(f"The live model {live.name} is not in bot/models to compare with")
        self.update(progress="Scoring the live model on the held-out questions, to compare")
        figures = evaluate(path)
        with self.engine.begin() as connection:
            connection.execute(
                db.models.update().where(db.models.c.id == live.id).values(
                    figures=json.dumps(figures)
                )
            )
        return figures

    def _audit(self, action: str, **detail) -> None:
        with self.engine.begin() as connection:
            record(connection, self.actor, action, **detail)


def wait_until_served(engine: Engine, name: str, progress) -> model_servers.Rollout:
    """Wait until every live Rasa worker answers with ``name``, or ACTIVATION_WAIT passes;
    ``progress`` hears each change ("1 of 2 workers answer with it")."""
    deadline = time.monotonic() + ACTIVATION_WAIT
    said = None
    while True:
        with engine.connect() as connection:
            went = model_servers.rollout(connection, name)
        if went.complete or time.monotonic() >= deadline:
            return went
        if went.summary() != said:
            said = went.summary()
            progress(went)
        time.sleep(2)


def not_everywhere(went: model_servers.Rollout) -> str:
    """Why a model made live is not live on every worker, for the page."""
    minutes = f"{ACTIVATION_WAIT / 60:.0f} minutes"
    behind = went.still_behind()
    return (
        f"After {minutes}, {went.summary()}"
        + (f": {behind}." if behind else ".")
        + " Those workers keep trying to load it; a worker that cannot reach its model file"
        " or the database needs its operator."
    )


def evaluate(model: Path) -> dict:
    root = content_root()
    result = subprocess.run(
        [sys.executable, "-m", "bot.content.evaluation", str(model)],
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root), "RASA_TELEMETRY_ENABLED": "false"},
        capture_output=True,
        text=True,
        timeout=3600,
    )
    lines = result.stdout.strip().splitlines()
    if result.returncode != 0 or not lines:
        problem = (result.stderr.strip().splitlines() or ["no output"])[-1]
        raise PublishError(f"Scoring {model.name} failed: {problem}")
    return json.loads(lines[-1])


def start(engine: Engine, actor: str) -> int:
    """Start a job in a thread; its row id. PublishError if one is already running."""
    if not _one_job.acquire(blocking=False):
        raise PublishError("A model is already being trained. Wait for it to finish.")
    try:
        with engine.begin() as connection:
            db.lock_for_writing(connection, "console_models")
            m = db.models.c
            busy = connection.execute(
                sa.select(m.id, m.requested_at).where(m.state.in_(RUNNING))
            ).all()
            for row in busy:
                if row.requested_at > time.time() - STALE_JOB:
                    raise PublishError("A model is already being trained. Wait for it to finish.")
                connection.execute(
                    db.models.update().where(m.id == row.id).values(
                        state="failed", reason="Interrupted (the console was restarted)"
                    )
                )
            row_id = connection.execute(
                db.models.insert().values(
                    state="training", progress="Waiting to start", requested_by=actor,
                    requested_at=time.time(),
                )
            ).inserted_primary_key[0]
    except BaseException:
        _one_job.release()
        raise
    threading.Thread(
        target=Job(engine, actor, row_id).run, name="train-and-publish", daemon=True
    ).start()
    return row_id

"""Write realistic conversations into a tracker store database, as Rasa would.

Events are real Rasa events, saved through RedactingSQLTrackerStore, so the
rows are exactly what a running assistant writes (redaction included).
"""

from __future__ import annotations

import asyncio
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import pyotp
import sqlalchemy as sa
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.storage import database as db
from bot.storage.tracker_store import RedactingSQLTrackerStore
from web.console.auth import add_account


@dataclass
class Turn:
    text: str
    topic: str
    intent: str | None = None
    confidence: float = 0.93
    reply: str = "An answer from the knowledge file."
    buttons: list[dict[str, str]] = field(default_factory=list)
    entities: list[dict] = field(default_factory=list)
    # The classifier's other intents [(name, confidence)], as parse_data's intent_ranking.
    ranking: list[tuple[str, float]] = field(default_factory=list)
    understanding: dict = field(default_factory=dict)  # what the checks found
    custom: dict = field(default_factory=dict)  # more of the reply's answer contract
    metadata: dict = field(default_factory=dict)  # the message's, as the widget sends it


def feedback(rating: str, topic: str) -> Turn:
    return Turn(
        text=f'/feedback{{"rating": "{rating}", "rated_topic": "{topic}"}}',
        topic=topic,
        intent="feedback",
        confidence=1.0,
        reply="Thank you for your feedback.",
        entities=[
            {"entity": "rating", "value": rating},
            {"entity": "rated_topic", "value": topic},
        ],
    )


def events_for(turns: list[Turn], start: float) -> list:
    events: list = [
        ActionExecuted("action_session_start", timestamp=start),
        SessionStarted(timestamp=start),
        ActionExecuted("action_listen", timestamp=start),
    ]
    at = start
    for turn in turns:
        at += 5
        intent = turn.intent or ("nlu_fallback" if turn.topic == "fallback" else turn.topic)
        events.append(
            UserUttered(
                turn.text,
                intent={"name": intent, "confidence": turn.confidence},
                entities=turn.entities,
                parse_data={
                    "text": turn.text,
                    "intent": {"name": intent, "confidence": turn.confidence},
                    "entities": turn.entities,
                    "intent_ranking": [{"name": intent, "confidence": turn.confidence}]
                    + [{"name": name, "confidence": c} for name, c in turn.ranking],
                    **({"understanding": turn.understanding} if turn.understanding else {}),
                },
                input_channel="rest",
                timestamp=at,
                metadata=turn.metadata or None,
            )
        )
        events.append(ActionExecuted("action_answer_knowledge", timestamp=at + 1))
        events.append(
            BotUttered(
                turn.reply,
                data={
                    "buttons": turn.buttons or None,
                    "custom": {"topic": turn.topic, **turn.custom},
                },
                timestamp=at + 1,
            )
        )
        events.append(ActionExecuted("action_listen", timestamp=at + 1))
    return events


def store_for(db_path=None, **kwargs) -> RedactingSQLTrackerStore:
    if db_path is not None:
        return RedactingSQLTrackerStore(dialect="sqlite", db=str(db_path))
    return RedactingSQLTrackerStore(**kwargs)


def save(
    store: RedactingSQLTrackerStore, sender: str, turns: list[Turn], start: float | None = None
):
    tracker = DialogueStateTracker.from_events(
        sender, events_for(turns, start if start is not None else time.time() - 600)
    )
    # In a thread of its own: a browser test's Playwright keeps an event loop running in
    # this one, where asyncio.run() is refused.
    with ThreadPoolExecutor(max_workers=1) as thread:
        thread.submit(asyncio.run, store.save(tracker)).result()


# ---- Accounts and a small seeded log shared by the console tests ----------------------------

PASSWORD = "a long test password 1"
ADMIN = "admin@cps.example"
RECRUITER = "recruiter@cps.example"
DAY = 86400

SALARY = [
    Turn(
        "what does a crown prosecutor earn? email me at jane.doe@example.com",
        "salary",
        buttons=[{"title": "Tell me more", "payload": "/tell-me-more"}],
    ),
    Turn("/tell-me-more", "salary"),
    feedback("up", "salary"),
]
DOG = [
    Turn("can I bring my dog to the office <b>please</b>", "fallback", confidence=0.31),
    Turn("my NI number is QQ 12 34 56 C, is that OK?", "fallback", confidence=0.22),
    feedback("down", "fallback"),
]
PARKING = [Turn("is there parking at the office", "fallback", confidence=0.4)]
SCHEME = [Turn("tell me about the legal trainee scheme", "legal-trainee-scheme")]


SAFETY = {"source": "https://www.police.uk/", "safety": True}
SOURCE = {"source": "https://www.cps.gov.uk/careers"}

# Conversations that show the recruiter what went wrong: an unsure answer, a question asked
# again, a rating changed, danger signposted and danger missed.
RECRUITER_CASES = {
    # Answered, but the classifier was unsure; the visitor then left.
    "unsure": [
        Turn(
            "does the cps pay for the sqe",
            "salary",
            confidence=0.55,
            ranking=[("legal-trainee-scheme", 0.3), ("benefits-overview", 0.1)],
            custom=SOURCE,
        ),
    ],
    # The widget opened it; the visitor asked the same question twice in other words,
    # rated the answer up, changed their mind to down, and rated another answer up.
    "rephrased": [
        Turn("/greeting", "greeting", intent="greeting", confidence=1.0),
        Turn("can I work from home most of the week", "flexible-working", custom=SOURCE),
        Turn("can I work from home most days of the week?", "flexible-working", custom=SOURCE),
        feedback("up", "flexible-working"),
        feedback("down", "flexible-working"),
        Turn("what is the pension", "pension", custom=SOURCE),
        feedback("up", "pension"),
        Turn("thanks", "thanks", intent="thanks", confidence=0.99),
    ],
    # Danger described and signposted.
    "signposted": [
        Turn(
            "im scared he will come back, what do i do",
            "report-a-crime",
            confidence=1.0,
            understanding={"safety": ["danger"]},
            custom=SAFETY,
        ),
    ],
    # Danger described, but the reply had no signposting: the gap a recruiter must see.
    "missed": [
        Turn(
            "someone is following me home every night",
            "fallback",
            confidence=0.2,
            understanding={"safety": ["danger"]},
        ),
    ],
}


WELSH = {"lang": "cy"}
ENGLISH = {"lang": "en"}
# Conversations in Welsh and English, as the widget and the assistant mark them: the
# assistant's replies say the language they are in; the visitor's messages carry the
# language chosen in the widget.
LANGUAGE_CASES = {
    "welsh": [
        Turn(
            "/greeting", "greeting", intent="greeting", confidence=1.0, custom=WELSH, metadata=WELSH
        ),
        Turn(
            "beth yw cyflog erlynydd y goron", "salary", custom={**SOURCE, **WELSH}, metadata=WELSH
        ),
        feedback("down", "salary"),
    ],
    "english": [
        Turn("what is the pension", "pension", custom={**SOURCE, **ENGLISH}, metadata=ENGLISH)
    ],
    # Written in Welsh in a widget left in English: answered in Welsh, so a Welsh one.
    "answered-in-welsh": [
        Turn("oes parcio yn y swyddfa", "fallback", confidence=0.3, custom=WELSH, metadata=ENGLISH),
        Turn("beth am y pensiwn", "pension", custom={**SOURCE, **WELSH}, metadata=ENGLISH),
    ],
    # The assistant did not say (older code): the language the visitor chose counts.
    "chosen-welsh": [
        Turn("beth yw'r cynllun hyfforddeion", "legal-trainee-scheme", metadata=WELSH)
    ],
    # Stored before languages: English.
    "before-languages": [Turn("is there parking at the office", "fallback", confidence=0.4)],
}


def seed_recruiter_cases(
    store, now: float | None = None, cases: dict[str, list[Turn]] | None = None
) -> dict[str, str]:
    """RECRUITER_CASES (or `cases`), a minute or so apart in that order, within the last
    hour; their ids."""
    now = now or time.time()
    ids = {}
    for number, (name, turns) in enumerate((cases or RECRUITER_CASES).items()):
        ids[name] = f"{name}-{number}-" + uuid.uuid4().hex[:8]
        save(store, ids[name], turns, start=now - 3000 + number * 100)
    return ids


def seed_conversations(store, now: float | None = None) -> dict[str, str]:
    """Four conversations; returns their ids by name."""
    now = now or time.time()
    ids = {
        "salary": "c0ffee00" + uuid.uuid4().hex[:24],
        "dog": "d0d0d0d0" + uuid.uuid4().hex[:24],
        "parking": "fa11bac0" + uuid.uuid4().hex[:24],
        "scheme": "5c4e3e00" + uuid.uuid4().hex[:24],
    }
    # Today (UTC) even just after midnight: the tests filter on "from today".
    save(store, ids["salary"], SALARY, start=max(now - 3600, now - now % DAY))
    save(store, ids["dog"], DOG, start=now - 2 * DAY)
    save(store, ids["parking"], PARKING, start=now - 3 * DAY)
    save(store, ids["scheme"], SCHEME, start=now - 200 * DAY)
    return ids


# ---- Accounts with an authenticator already set up -----------------------------------------

TOTP_SECRETS = {
    ADMIN: "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
    RECRUITER: "KRUGS4ZANFZSAYJAORSXG5BAONSWG4TF",
}


def add_enrolled_account(connection, email: str, role: str, secret: str | None = None) -> str:
    """An account whose authenticator app is set up with ``secret`` (random if None), as
    after its first sign-in; its secret."""
    account = add_account(connection, email, role, PASSWORD)
    secret = secret or pyotp.random_base32(length=32)
    connection.execute(
        sa.update(db.accounts)
        .where(db.accounts.c.id == account.id)
        .values(totp_secret=secret, totp_enrolled_at=time.time())
    )
    return secret


def other_code(secret: str) -> str:
    """A 6-digit code that is not right now (nor for the steps either side)."""
    totp, now = pyotp.TOTP(secret), time.time()
    right = {totp.at(now + offset) for offset in (-30, 0, 30)}
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in right)

"""Wrong answers made visible, ratings counted once per answer, safeguarding, the list's
first questions, channels and orders, weekly trends and the unanswered questions set
aside: on conversations saved through the tracker store, on SQLite and PostgreSQL."""

from __future__ import annotations

import time
from datetime import date, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from seed import RECRUITER_CASES, Turn, save, seed_recruiter_cases

from bot.storage import database as db
from bot.storage.retention import erase_conversation
from web.console import dismissals, queries, signals, trends
from web.console.conversations import refresh_summaries


@pytest.fixture
def seeded(database):
    ids = seed_recruiter_cases(database.store())
    with database.engine.begin() as connection:
        refresh_summaries(connection)
    return ids


def summary(connection, sender_id: str) -> dict:
    row = connection.execute(
        sa.select(db.summaries).where(db.summaries.c.sender_id == sender_id)
    ).one()
    return dict(row._mapping)


def listed(connection, **args) -> list[str]:
    page = queries.conversation_page(connection, queries.Filters.parse(args))
    return [row["sender_id"] for row in page.rows]


def test_signs_of_wrong_answers_and_safeguarding_are_summarised(database, seeded):
    with database.engine.begin() as connection:
        unsure = summary(connection, seeded["unsure"])
        assert (unsure["low_confidence"], unsure["confident_answers"]) == (1, 0)
        assert unsure["left_after_answer"] and not unsure["rephrased"]
        assert unsure["channel"] == "rest" and not unsure["safety"]
        rephrased = summary(connection, seeded["rephrased"])
        assert rephrased["rephrased"] and rephrased["channel"] == "widget"
        assert not rephrased["left_after_answer"]  # said thanks: no source on that reply
        # Changed from up to down: counted once, as down; the pension answer's up stands.
        assert (rephrased["feedback_up"], rephrased["feedback_down"]) == (1, 1)
        signposted = summary(connection, seeded["signposted"])
        assert signposted["safety"] and signposted["signposted"]
        missed = summary(connection, seeded["missed"])
        assert missed["safety"] and not missed["signposted"]

        assert listed(connection, low_confidence="1") == [seeded["unsure"]]
        assert listed(connection, rephrased="1") == [seeded["rephrased"]]
        assert listed(connection, left="1") == [seeded["signposted"], seeded["unsure"]]
        assert listed(connection, safety="1") == [seeded["missed"], seeded["signposted"]]
        assert listed(connection, channel="widget") == [seeded["rephrased"]]
        assert seeded["rephrased"] not in listed(connection, channel="other")
        with pytest.raises(queries.BadFilter):
            queries.Filters.parse({"channel": "fax"})


def test_ratings_count_the_last_rating_of_each_answer(database, seeded):
    with database.engine.begin() as connection:
        rows = connection.execute(
            sa.select(db.ratings.c.topic, db.ratings.c.rating)
            .where(db.ratings.c.sender_id == seeded["rephrased"])
            .order_by(db.ratings.c.topic)
        ).all()
        assert [tuple(row) for row in rows] == [("flexible-working", "down"), ("pension", "up")]
        today = datetime.now(tz=timezone.utc).date()
        start, end = queries.period(today - timedelta(days=1), today)
        found = trends.topic_satisfaction(connection, start, end)
        by_topic = {row["topic"]: (row["up"], row["down"]) for row in found["topics"]}
        assert by_topic == {"flexible-working": (0, 1), "pension": (1, 0)}
        assert {row["week"] for row in found["weeks"]} <= {
            trends.week_of(today - timedelta(days=1)).isoformat(),
            trends.week_of(today).isoformat(),
        }


def test_weekly_trends_come_from_the_daily_counts(database, seeded):
    today = datetime.now(tz=timezone.utc).date()
    with database.engine.begin() as connection:
        weeks = trends.weekly(connection, today - timedelta(days=20), today)
    assert [w["week"] for w in weeks] == sorted(w["week"] for w in weeks)
    assert all(date.fromisoformat(w["week"]).weekday() == 0 for w in weeks)
    messages = sum(w["messages"] for w in weeks)
    # unsure 1, rephrased 4 (greeting not counted), signposted 1, missed 1
    assert messages == 7
    assert sum(w["fallbacks"] for w in weeks) == 1
    # confident: the two flexible-working questions, pension, thanks, the signposting
    assert sum(w["confident"] for w in weeks) == 5
    busy = [w for w in weeks if w["messages"]]
    total = sum(w["confident"] for w in busy) / sum(w["messages"] for w in busy)
    assert total == pytest.approx(5 / 7)
    assert all(w["confident_rate"] is None for w in weeks if not w["messages"])


def test_the_list_shows_first_questions_and_sorts(database, seeded):
    with database.engine.begin() as connection:
        page = queries.conversation_page(connection, queries.Filters.parse({}))
        first = {row["sender_id"]: row["first_question"] for row in page.rows}
        assert first[seeded["rephrased"]] == "can I work from home most of the week"
        assert first[seeded["unsure"]] == "does the cps pay for the sqe"
        newest = listed(connection)
        assert listed(connection, sort="oldest") == newest[::-1]
        assert listed(connection, sort="messages")[0] == seeded["rephrased"]
        assert listed(connection, sort="fallbacks")[0] == seeded["missed"]
        with pytest.raises(queries.BadFilter):
            queries.Filters.parse({"sort": "random()"})


def test_sorted_lists_page_by_number(database, seeded, monkeypatch):
    monkeypatch.setattr(queries, "PAGE_SIZE", 3)
    with database.engine.begin() as connection:
        first = queries.conversation_page(connection, queries.Filters.parse({"sort": "oldest"}))
        second = queries.conversation_page(
            connection, queries.Filters.parse({"sort": "oldest", "page": "2"})
        )
    assert first.next_key is None and first.pages == 2  # by number, not by keyset
    ids = [row["sender_id"] for row in first.rows + second.rows]
    assert ids == [seeded[name] for name in RECRUITER_CASES]


def test_erasing_a_conversation_removes_its_ratings(database, seeded):
    erase_conversation(database.engine, seeded["rephrased"], "admin@cps.example")
    with database.engine.begin() as connection:
        left = connection.execute(
            sa.select(sa.func.count()).where(db.ratings.c.sender_id == seeded["rephrased"])
        ).scalar()
    assert left == 0


def test_unanswered_questions_rank_real_ones_first_and_can_be_set_aside(database):
    now = time.time()
    asked = {
        "real": "can I bring my dog to the office",
        "probe": "test",
        "mash": "sdkjfh qwpoeir",
    }
    # Asked once, in 2 conversations twice, in 3 conversations three times: real questions
    # rank first all the same.
    for number, (name, text) in enumerate(asked.items(), 1):
        understanding = {"made_of_words": False} if name == "mash" else {}
        turns = [Turn(text, "fallback", confidence=0.2, understanding=understanding)]
        for copy in range(number):
            save(database.store(), f"{name}-{copy}", turns * number, start=now - 900)
    today = datetime.now(tz=timezone.utc).date()
    with database.engine.begin() as connection:
        refresh_summaries(connection)
        data = queries.insights(connection, today - timedelta(days=1), today)
        assert [g["kind"] for g in data["unanswered"]] == ["question", "probe", "mash"]
        assert data["unanswered"][0]["example"] == asked["real"]

        dismissals.dismiss_questions(connection, data["unanswered"][0]["keys"], "r@cps.example")
        number = dismissals.dismiss_pattern(connection, "sdkjfh", "r@cps.example")
        data = queries.insights(connection, today - timedelta(days=1), today)
        assert [g["example"] for g in data["unanswered"]] == [asked["probe"]]
        hidden = {item["example"]: item["count"] for item in data["set_aside"].values()}
        assert hidden == {asked["real"]: 1, "sdkjfh": 9}

        assert dismissals.restore(connection, number, "r@cps.example")
        assert not dismissals.restore(connection, number, "r@cps.example")  # once
        data = queries.insights(connection, today - timedelta(days=1), today)
        assert [g["kind"] for g in data["unanswered"]] == ["probe", "mash"]
        kept = connection.execute(sa.select(db.dismissals.c.value)).scalars().all()
    assert asked["real"] not in " ".join(kept)  # only a digest of what a visitor typed


@pytest.mark.parametrize(
    ("text", "noise", "kind"),
    [
        ("what does a paralegal earn", False, "question"),
        ("pension?", False, "question"),
        ("hello", False, "probe"),
        ("<script>alert(1)</script>", False, "probe"),
        ("testing testing", False, "probe"),
        ("poiuytrewq", True, "mash"),
        ("!!!???", False, "mash"),
    ],
)
def test_question_kinds(text, noise, kind):
    assert signals.question_kind(text, noise) == kind

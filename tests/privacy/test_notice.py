"""The visitor is told once per conversation that personal details were removed."""

from bot.privacy import needs_notice

NOTICE = "There's no need to share personal details with me."


def test_told_when_details_are_typed_and_not_told_before():
    assert needs_notice("my case ref is 01AB1234567", ["Hello."], NOTICE)
    assert needs_notice("im sarah jones", [], NOTICE)
    assert needs_notice("my address is 10 Downing Street", [None], NOTICE)


def test_not_told_twice_in_a_conversation():
    assert not needs_notice("my NI is QQ123456C", ["Hello.", NOTICE, "Pay is ..."], NOTICE)


def test_not_told_without_details():
    assert not needs_notice("what does a paralegal earn?", [], NOTICE)
    assert not needs_notice("I have MS, can I get adjustments?", [], NOTICE)  # not removed
    assert not needs_notice(None, [], NOTICE)
    assert not needs_notice("", [], NOTICE)

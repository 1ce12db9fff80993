"""What visitors met in the widget, in headless Chromium against the real assistant,
by keyboard alone and checked with axe-core in each state:

- after a reload the log opens at the latest message, not the greeting;
- a new reply is announced by its text, not with every button label;
- route-finder results are a real list whose links are named, not bare addresses, and
  the finder's questions ask for no rating while its recommendation does;
- a phone in landscape keeps the message box on screen;
- the too-long message error states the limit, with a count near it, and loses nothing.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from widget_page import ANSWER_TIMEOUT, Widget, axe_violations, is_focused, tab_to

from bot.knowledge import load_knowledge

pytestmark = [pytest.mark.browser, pytest.mark.e2e]
KB = load_knowledge()
PATHWAY = KB.pathway
LIMIT = 1000  # the web app's MAX_MESSAGE_CHARS in these tests, and the widget's default
ANNOUNCER = ".cw-panel > [aria-live='polite']"


def test_after_a_reload_the_log_opens_at_the_latest_message(web, page, widget):
    greeting = widget.start_at(web.url + "/")
    for question in ("What is the Legal Trainee Scheme?", "What pension do I get?",
                     "What does a crown prosecutor do?"):
        widget.ask(question)
    log = page.get_by_role("log")
    assert log.evaluate("(log) => log.scrollHeight > log.clientHeight"), "the log must overflow"

    page.reload()
    expect(widget.bot_messages).to_have_count(4, timeout=ANSWER_TIMEOUT)
    latest = widget.bot_messages.last
    expect(latest.locator(".cw-sender")).to_be_in_viewport()
    expect(widget.bot_messages.first.locator(".cw-sender")).not_to_be_in_viewport()
    assert page.get_by_role("log").evaluate("(log) => log.scrollTop") > 0
    assert greeting  # the greeting is still there, above
    assert axe_violations(page) == [], "restored"


def test_a_new_reply_is_announced_by_its_text_not_its_buttons(web, page, widget):
    widget.start_at(web.url + "/")
    answer = widget.ask("What is the Legal Trainee Scheme?")
    expect(page.get_by_role("log")).to_have_attribute("aria-live", "off")
    announcer = page.locator(ANNOUNCER)
    text = " ".join(answer.locator(".cw-bubble").inner_text().split())
    expect(announcer).to_have_text(
        re.compile("^Careers assistant said: " + re.escape(text[:60]))
    )
    titles = answer.locator(".cw-suggestion").all_inner_texts()
    assert titles, "the answer offers suggestions"
    said = announcer.inner_text()
    assert not any(title in said for title in titles)
    assert "Was this answer helpful" not in said


def press_first_choice(widget: Widget) -> None:
    """Reach the newest reply's first button from the message box, and press it."""
    first = widget.bot_messages.last.locator(".cw-suggestion").first
    tab_to(widget.page, first, backwards=True)
    before = widget.bot_messages.count()
    widget.page.keyboard.press("Enter")
    expect(widget.bot_messages).to_have_count(before + 1, timeout=ANSWER_TIMEOUT)
    assert is_focused(widget.message_box)


def test_route_finder_results_are_a_list_of_named_links_and_only_they_are_rated(web, page, widget):
    widget.start_at(web.url + "/")
    widget.ask("/prosecutor-pathways")
    offer = widget.bot_messages.last.get_by_role("button", name=PATHWAY.offer.title)
    tab_to(page, offer, backwards=True)
    page.keyboard.press("Enter")
    for _ in range(8):
        latest = widget.bot_messages.last
        expect(latest).to_have_attribute("data-topic", "pathway-finder")
        if latest.locator("ol").count():
            break
        expect(latest.get_by_role("button", name="Helpful")).to_have_count(0)  # a question
        press_first_choice(widget)
    results = widget.bot_messages.last
    items = results.locator("ol > li")
    assert items.count() >= 1
    expect(results.locator(".cw-bubble")).not_to_contain_text(re.compile(r"(^|\n)1\. "))
    for link in items.get_by_role("link").all():
        assert link.get_attribute("href").startswith("https://")
        assert not link.inner_text().startswith("http"), "links are named, not addresses"
    expect(results.get_by_role("button", name="Helpful", exact=True)).to_be_visible()
    assert axe_violations(page) == [], "recommended"


def test_a_phone_in_landscape_keeps_the_message_box_on_screen(web, browser):
    context = browser.new_context(viewport={"width": 844, "height": 390}, has_touch=True)
    page = context.new_page()
    widget = Widget(page)
    try:
        page.goto(web.url + "/")
        widget.launcher.focus()
        page.keyboard.press("Enter")
        widget.wait_for_greeting()
        expect(widget.message_box).to_be_in_viewport(ratio=1)
        widget.ask("What is the Legal Trainee Scheme?")
        expect(widget.message_box).to_be_in_viewport(ratio=1)
        expect(page.get_by_role("button", name="Send")).to_be_in_viewport(ratio=1)
        expect(widget.bot_messages.last.locator(".cw-sender")).to_be_in_viewport()
    finally:
        context.close()


def test_a_message_near_the_limit_shows_a_count_and_too_long_states_the_limit(web, page, widget):
    widget.start_at(web.url + "/")
    count = page.locator(".cw-count")
    page.keyboard.insert_text("a" * 100)
    expect(count).to_be_hidden()  # far from the limit: no count
    page.keyboard.insert_text("b" * 750)
    expect(count).to_have_text(f"You have {LIMIT - 850} characters left.")
    page.keyboard.insert_text("c" * 200)
    expect(count).to_have_text("You have 50 characters too many.")
    assert axe_violations(page) == [], "over the limit"
    page.keyboard.press("Enter")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text(f"up to {LIMIT} characters")
    expect(widget.message_box).to_have_value("a" * 100 + "b" * 750 + "c" * 200)  # nothing lost
    expect(widget.user_messages).to_have_count(0)
    assert is_focused(widget.message_box)

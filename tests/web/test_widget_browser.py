"""The widget in headless Chromium against the real assistant, driven by keyboard alone.

Each state a visitor can see (closed, open, answered, error) is also checked
with axe-core for WCAG 2.2 A and AA violations.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from widget_page import ANSWER_TIMEOUT, Widget, axe_violations, is_focused, tab_to

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

QUESTION = "What is the Legal Trainee Scheme?"


def test_a_keyboard_user_holds_a_conversation(web, page, widget):
    page.goto(web.url + "/")
    expect(widget.launcher).to_have_attribute("aria-expanded", "false")
    assert axe_violations(page) == [], "closed"

    widget.open_by_keyboard()
    greeting = widget.wait_for_greeting()
    expect(greeting.locator(".cw-sender")).to_have_text("Careers assistant said:")
    expect(page.get_by_role("link", name="Privacy notice", exact=True)).to_be_visible()
    expect(page.get_by_text("This is an automated assistant, not a person.")).to_be_visible()
    assert axe_violations(page) == [], "open"

    answer = widget.ask(QUESTION)
    expect(widget.user_messages.last).to_contain_text(QUESTION)
    expect(widget.user_messages.last.locator(".cw-sender")).to_have_text("You said:")
    assert answer.get_attribute("data-topic") not in (None, "fallback", "greeting")
    source = answer.locator(".cw-source")
    expect(source).to_have_text(re.compile(r"^Source: .+, checked on \d{1,2} [A-Z][a-z]+ \d{4}$"))
    link = source.get_by_role("link")
    assert link.get_attribute("href").startswith("https://")
    assert link.get_attribute("rel") == "noopener noreferrer"
    assert link.get_attribute("target") == "_blank"
    assert axe_violations(page) == [], "answered"
    # A long answer scrolls inside the log; the panel's heading and notice stay in sight.
    expect(page.get_by_role("heading", name="Careers assistant")).to_be_in_viewport(ratio=1)
    assert page.locator(".cw-panel").evaluate("(panel) => panel.scrollTop") == 0

    # A suggestion button, reached with Tab and pressed with Enter, asks its question.
    suggestion = answer.locator(".cw-suggestion").first
    title = suggestion.inner_text()
    tab_to(page, suggestion)
    page.keyboard.press("Enter")
    expect(widget.user_messages).to_have_count(2)
    expect(widget.user_messages.last).to_contain_text(title)
    expect(widget.bot_messages).to_have_count(3, timeout=ANSWER_TIMEOUT)
    # The pressed button scrolls away: focus goes to the message box, in sight, whose hint
    # says where the new suggestions are, and Shift+Tab reaches them.
    assert is_focused(widget.message_box), "focus follows to the message box"
    expect(widget.message_box).to_be_in_viewport(ratio=1)
    latest = widget.bot_messages.last
    if latest.locator(".cw-suggestion").count():
        expect(page.locator(".cw-hint")).to_contain_text("press Shift and Tab to reach them")
        page.keyboard.press("Shift+Tab")
        assert is_focused(latest.locator(".cw-suggestion").last)
        page.keyboard.press("Tab")

    # Rate the first answer: the rating goes to the assistant, which acknowledges it.
    helpful = answer.get_by_role("button", name="Helpful", exact=True)
    expect(helpful).to_have_attribute("aria-pressed", "false")
    tab_to(page, helpful, backwards=True)
    page.keyboard.press("Enter")
    expect(helpful).to_have_attribute("aria-pressed", "true", timeout=ANSWER_TIMEOUT)
    expect(answer.locator(".cw-ack")).not_to_be_empty()
    not_helpful = answer.get_by_role("button", name="Not helpful")
    expect(not_helpful).to_have_attribute("aria-pressed", "false")
    assert axe_violations(page) == [], "rated"

    # Escape closes the panel and puts focus back on the launcher.
    page.keyboard.press("Escape")
    expect(page.get_by_role("region", name="Careers assistant")).to_be_hidden()
    assert is_focused(widget.launcher)


def test_the_conversation_survives_navigation_and_restart_clears_it(web, page, widget):
    widget.start_at(web.url + "/")
    answer = widget.ask(QUESTION)
    answer.get_by_role("button", name="Helpful", exact=True).focus()
    page.keyboard.press("Enter")
    expect(answer.get_by_role("button", name="Helpful", exact=True)).to_have_attribute(
        "aria-pressed", "true", timeout=ANSWER_TIMEOUT)
    first_id = widget.stored_conversation()["id"]
    assert re.fullmatch(r"[0-9a-f]{32}", first_id)
    page.keyboard.press("Escape")

    # Go to another page of the site by keyboard.
    tab_to(page, page.get_by_role("link", name="Pay and benefits"), backwards=True)
    page.keyboard.press("Enter")
    page.wait_for_url("**/pay-and-benefits")
    widget.open_by_keyboard()
    expect(widget.bot_messages).to_have_count(2)
    expect(widget.user_messages).to_have_text([re.compile(re.escape(QUESTION))])
    rated = widget.bot_messages.last.get_by_role("button", name="Helpful", exact=True)
    expect(rated).to_have_attribute("aria-pressed", "true")
    assert widget.stored_conversation()["id"] == first_id

    # The history did not trigger a second greeting: the same conversation goes on.
    widget.ask("How do I apply?")
    expect(widget.bot_messages).to_have_count(3)

    tab_to(page, page.get_by_role("button", name="Start again"), backwards=True)
    page.keyboard.press("Enter")
    greeting = widget.wait_for_greeting()
    expect(widget.bot_messages).to_have_count(1)
    expect(widget.user_messages).to_have_count(0)
    assert greeting.get_attribute("data-topic") == "greeting"
    assert widget.stored_conversation()["id"] != first_id
    assert is_focused(widget.message_box)


def test_after_a_reload_the_stored_transcript_is_back_and_storage_holds_no_visitor_text(
    web, page, widget
):
    widget.start_at(web.url + "/")
    typed = "my name is Jane Smith, what does a paralegal officer earn?"
    answer = widget.ask(typed)
    answer_text = answer.locator(".cw-bubble p").first.inner_text()
    helpful = answer.get_by_role("button", name="Helpful", exact=True)
    helpful.focus()
    page.keyboard.press("Enter")
    expect(helpful).to_have_attribute("aria-pressed", "true", timeout=ANSWER_TIMEOUT)

    # The page's storage holds the conversation id, the panel's state and the language chosen,
    # nothing typed or said.
    storage = page.evaluate(
        "() => JSON.stringify([Object.entries(sessionStorage), Object.entries(localStorage)])"
    )
    assert set(widget.stored_conversation()) == {"id", "open", "lang"}  # the language chosen
    for words in ("Jane", "paralegal", answer_text[:40]):
        assert words not in storage

    page.reload()
    expect(widget.user_messages).to_have_count(1, timeout=ANSWER_TIMEOUT)
    # As stored: redacted. The visitor sees what the CPS keeps.
    expect(widget.user_messages.first).to_contain_text(
        "my name is [name], what does a paralegal officer earn?"
    )
    expect(widget.bot_messages).to_have_count(2)
    restored = widget.bot_messages.last
    expect(restored).to_contain_text(answer_text[:40])
    expect(restored).to_contain_text("there's no need to share personal details")
    expect(restored.get_by_role("button", name="Helpful", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    log = page.get_by_role("log")
    expect(log).to_have_attribute("aria-live", "off")  # replies are announced by their text
    assert log.get_attribute("aria-busy") is None
    assert axe_violations(page) == [], "restored"

    # The conversation goes on where it was: no second greeting.
    tab_to(page, widget.message_box)
    widget.ask("How do I apply?")
    expect(widget.bot_messages).to_have_count(3)
    expect(widget.bot_messages.filter(has_text="I'm the CPS careers assistant")).to_have_count(1)


def test_escape_on_the_page_hides_the_panel_without_moving_focus(web, page, widget):
    # A keyboard user on the page behind the panel can uncover what they are on (WCAG 2.4.11).
    widget.start_at(web.url + "/")
    search = page.get_by_role("searchbox", name="Search this site")
    search.focus()
    page.keyboard.press("Escape")
    expect(page.get_by_role("region", name="Careers assistant")).to_be_hidden()
    assert is_focused(search)
    expect(widget.launcher).to_be_visible()


def test_losing_the_server_keeps_the_typed_text_and_retry_brings_the_answer(
    start_web_app, rasa_url, page, widget
):
    app = start_web_app(rasa_url)
    widget.start_at(app.url + "/")

    app.stop()
    page.keyboard.type(QUESTION)
    page.keyboard.press("Enter")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("not", timeout=ANSWER_TIMEOUT)
    retry = alert.get_by_role("button", name="Retry")
    expect(retry).to_be_visible()
    expect(widget.message_box).to_have_value(QUESTION)
    expect(widget.user_messages).to_have_count(0)
    assert is_focused(widget.message_box), "an error does not move focus"
    assert axe_violations(page) == [], "error"

    app.start()
    tab_to(page, retry, backwards=True)
    page.keyboard.press("Enter")
    expect(widget.bot_messages).to_have_count(2, timeout=ANSWER_TIMEOUT)
    expect(widget.user_messages.locator(".cw-bubble")).to_have_text([QUESTION])
    expect(widget.message_box).to_have_value("")
    expect(page.locator(".cw-error")).to_be_empty()
    assert is_focused(widget.message_box), "focus does not vanish with the Retry button"


def test_an_unreachable_assistant_at_the_start_offers_a_retry(web_without_rasa, page, widget):
    page.goto(web_without_rasa.url + "/")
    widget.open_by_keyboard()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("not answering")
    expect(alert.get_by_role("button", name="Retry")).to_be_visible()
    assert axe_violations(page) == [], "error at start"


def test_script_in_messages_is_shown_as_text(web, page, widget):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    widget.start_at(web.url + "/")
    attacks = ["<script>alert(1)</script>", '<img src=x onerror="alert(2)">',
               "[click](javascript:alert(3))"]
    for attack in attacks:
        widget.ask(attack)
    expect(widget.user_messages.locator(".cw-bubble")).to_have_text(attacks)
    widget = page.locator("#cps-careers-assistant")
    made = widget.evaluate("(host) => host.shadowRoot.querySelectorAll('script,img,iframe').length")
    assert made == 0
    hrefs = widget.evaluate(
        "(host) => [...host.shadowRoot.querySelectorAll('a')].map((a) => a.protocol)"
    )
    # http: only for the privacy link the site configured (this demo runs on http).
    assert set(hrefs) <= {"https:", "mailto:", "http:"}
    assert dialogs == []


@pytest.mark.parametrize(("width", "height"), [(320, 640), (320, 256)])  # 320 px; 1280x1024 at 400%
def test_reflows_at_320_css_pixels_without_horizontal_scrolling(web, browser, width, height):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    widget = Widget(page)
    try:
        page.goto(web.url + "/")
        widget.launcher.click()
        widget.wait_for_greeting()
        widget.message_box.fill(QUESTION + " " + "https://www.cps.gov.uk/" + "x" * 80)
        page.keyboard.press("Enter")
        expect(widget.bot_messages).to_have_count(2, timeout=ANSWER_TIMEOUT)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        overflow = page.locator(".cw-panel").evaluate(
            "(panel) => [...panel.querySelectorAll('*')].filter((el) => {"
            "  const box = el.getBoundingClientRect();"
            "  return box.width > 0 && (box.left < -1 || box.right > window.innerWidth + 1);"
            "}).map((el) => el.className)"
        )
        assert overflow == []
        panel = page.locator(".cw-panel")
        assert panel.evaluate("(p) => p.scrollWidth <= p.clientWidth")
        # The new answer is shown from its top; typing brings the message box back into view.
        expect(widget.bot_messages.last.locator(".cw-sender")).to_be_in_viewport()
        page.keyboard.type("And pay?")
        expect(widget.message_box).to_be_in_viewport()
    finally:
        context.close()


def test_controls_are_big_enough_and_focus_is_the_govuk_yellow(web, page, widget):
    ask_page = widget.start_at(web.url + "/")
    assert ask_page
    widget.ask(QUESTION)
    sizes = page.locator(".cw-panel").evaluate(
        "(panel) => [...panel.querySelectorAll('button, a, textarea')].map((el) => {"
        "  const box = el.getBoundingClientRect();"
        "  return [el.textContent.trim().slice(0, 30), box.width, box.height, el.tagName];"
        "})"
    )
    for name, width, height, tag in sizes:
        if tag != "A":  # links inside sentences are exempt from 2.5.8 (inline)
            assert width >= 24 and height >= 24, (name, width, height)
    page.keyboard.press("Escape")
    focused = widget.launcher.evaluate("(el) => getComputedStyle(el).backgroundColor")
    assert focused == "rgb(255, 221, 0)"


def test_another_sites_page_embeds_the_widget_without_either_breaking_the_other(
    start_web_app, rasa_url, other_site, page, widget
):
    # Another website (another origin) with aggressive global CSS adds the one tag.
    def host_page(web_url: str) -> str:
        return f"""<!DOCTYPE html>
<html lang="en-GB"><head><title>Another site</title><style>
  * {{ font-family: "Comic Sans MS", cursive !important; letter-spacing: 3px; }}
  button {{ text-transform: uppercase !important; background: lime !important; }}
  div {{ color: red !important; font-size: 40px; }}
</style></head><body><main><h1>Another site</h1><p><a href="#">A link</a></p></main>
<script src="{web_url}/widget/widget.js" data-server="{web_url}" data-position="left"
  data-title="Careers assistant" defer></script></body></html>"""

    url = other_site("")
    origin = url.rsplit("/", 1)[0]
    app = start_web_app(rasa_url, env={"ALLOWED_ORIGINS": origin})
    other_site(host_page(app.url))
    page.goto(url)
    button = widget.launcher
    expect(button).to_be_visible()
    style = button.evaluate(
        "(el) => { const s = getComputedStyle(el);"
        " return [s.textTransform, s.backgroundColor, s.fontFamily]; }"
    )
    assert style[0] == "none" and style[1] == "rgb(74, 42, 122)" and "Comic" not in style[2]
    assert button.bounding_box()["x"] < 100  # data-position="left"
    # The page keeps its own look.
    heading_font = page.locator("h1").evaluate("(el) => getComputedStyle(el).fontFamily")
    assert heading_font.startswith('"Comic')
    widget.open_by_keyboard()
    widget.wait_for_greeting()  # the cross-origin API call passed CORS
    assert axe_violations(page) == []


def test_the_readme_screenshots_can_be_taken(web, browser, tmp_path):
    from web.screenshots import capture

    written = capture(web.url, tmp_path, browser=browser)
    assert [path.name for path in written] == [
        "widget-closed.png", "widget-desktop.png", "widget-mobile.png", "widget-welsh.png"
    ]
    assert all(path.stat().st_size > 10_000 for path in written)

"""The editors' pages in Chromium, by keyboard, with axe-core (WCAG 2.2 AA rules) finding
nothing: Improve, Answers (an error beside its field, the preview, saving, the history)
and Models, and the navigation a recruiter does not get. (The loop with a real model is
in test_improvement_loop_browser.py.)"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import yaml
from editing import editing_console, patient_page  # noqa: F401 (the `patient` fixture)
from playwright.sync_api import Page, expect
from test_console_browser import no_axe_violations, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def console(tmp_path_factory) -> Iterator:
    with editing_console("sqlite", tmp_path_factory.mktemp("editing-browser"), {}) as running:
        yield running


def press(page: Page, role: str, name: str) -> None:
    page.get_by_role(role, name=name).first.focus()
    page.keyboard.press("Enter")


def test_an_editor_works_through_the_pages_by_keyboard(console, patient: Page):
    page = patient
    email, secret = console.new_account("editor")
    page.goto(f"{console.url}/console/sign-in")
    sign_in(page, email, secret)
    expect(page.get_by_text(f"Signed in as {email} (editor)")).to_be_visible()

    press(page, "link", "Improve")
    expect(page.get_by_role("heading", name="Improve the assistant")).to_be_visible()
    no_axe_violations(page)
    block = page.locator(".console-improve-question", has_text="is there parking at the office")
    block.get_by_label("Topic").focus()
    block.get_by_label("Topic").select_option("locations")
    block.get_by_role("button", name="Add as a training example").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("added as a training example")
    no_axe_violations(page)
    written = yaml.safe_load((console.content / "bot/data/nlu/from_conversations.yml").read_text())
    assert written["nlu"][0]["intent"] == "locations"
    dog = page.locator(".console-improve-question", has_text="can I bring my dog")
    dog.get_by_role("button", name="Needs a new answer").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#needing ~ table")).to_contain_text("can I bring my dog")
    no_axe_violations(page)

    press(page, "link", "Answers")
    expect(page.get_by_role("heading", name="Answers", exact=True)).to_be_visible()
    no_axe_violations(page)
    press(page, "link", "Annual leave")
    reviewed = page.get_by_label("Reviewed date")
    reviewed.fill("next tuesday")
    press(page, "button", "Save")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("nothing was saved")
    expect(page.locator("#reviewed-error-1")).to_be_visible()
    expect(page).to_have_title(re.compile("^Error: "))
    no_axe_violations(page)
    summary.get_by_role("link").first.focus()
    page.keyboard.press("Enter")
    expect(reviewed).to_be_focused()
    reviewed.fill("2026-12-01")
    answer = page.get_by_label("Answer", exact=True)
    answer.fill(answer.input_value() + " <i>Ask your manager</i> about carrying days over.")
    press(page, "button", "Preview")
    preview = page.locator(".console-preview")
    expect(preview).to_contain_text("<i>Ask your manager</i> about carrying days over.")
    expect(preview.locator("i")).to_have_count(0)  # shown as typed, never as HTML
    expect(preview).to_contain_text("checked on 1 December 2026")
    no_axe_violations(page)
    press(page, "button", "Save")
    expect(page.get_by_role("alert")).to_contain_text("Saved.")
    expect(page.locator(".console-diff-add").first).to_be_visible()
    no_axe_violations(page)

    press(page, "link", "Models")
    expect(page.get_by_role("heading", name="Models", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Train and publish")).to_be_visible()
    no_axe_violations(page)


def test_a_recruiter_has_no_editor_pages_in_the_navigation(console, page: Page):
    email, secret = console.new_account("recruiter")
    page.goto(f"{console.url}/console/sign-in")
    sign_in(page, email, secret)
    navigation = page.get_by_role("navigation", name="Console")
    expect(navigation).to_be_visible()
    for name in ("Improve", "Answers", "Models"):
        expect(navigation.get_by_role("link", name=name)).to_have_count(0)
    page.goto(f"{console.url}/console/answers/")
    expect(page.get_by_role("heading", name="Not allowed")).to_be_visible()
    no_axe_violations(page)

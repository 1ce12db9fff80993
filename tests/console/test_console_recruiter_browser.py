"""The recruiter's new views in headless Chromium, by keyboard, with axe-core (WCAG 2.2 AA
rules) finding nothing in any state: unsure answers and their runner-up topics, a tag
refused, safeguarding, weekly trends, questions set aside and put back, accounts managed;
and no page scrolls sideways at 320 pixels."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Page, expect
from test_console_browser import no_axe_violations, sign_in

pytestmark = pytest.mark.browser


def press(page: Page, locator) -> None:
    """Move the keyboard focus to ``locator`` and press Enter, as a keyboard user would."""
    locator.focus()
    page.keyboard.press("Enter")


def test_recruiter_finds_an_unsure_answer_and_checks_safeguarding(recruiter_console, page: Page):
    email, secret = recruiter_console.new_account()
    page.goto(f"{recruiter_console.url}/console/sign-in")
    sign_in(page, email, secret)
    expect(page.get_by_role("heading", name="Conversations", exact=True)).to_be_visible(
        timeout=30_000  # signing in checks a password: slow on a busy machine
    )
    expect(page.get_by_text("does the cps pay for the sqe")).to_be_visible()
    no_axe_violations(page)

    page.get_by_label("Answers the assistant was not sure of").focus()
    page.keyboard.press("Space")
    page.get_by_label("Sort").focus()
    page.keyboard.press("End")  # the last order: most not understood
    press(page, page.get_by_role("button", name="Apply filters"))
    expect(page.get_by_role("heading", name="1 conversation", exact=True)).to_be_visible()
    expect(page.get_by_label("Sort")).to_have_value("fallbacks")
    no_axe_violations(page)

    press(page, page.get_by_role("link", name=re.compile("does the cps pay for the sqe")))
    expect(page.get_by_text("Runners-up: The Legal Trainee Scheme (0.30)")).to_be_visible()
    expect(page.get_by_text("unsure", exact=True)).to_be_visible()
    no_axe_violations(page)

    # A tag from a form that is out of date (the list changed): refused, shown on the page.
    page.evaluate("document.querySelector('#tag option').value = 'no such tag'")
    page.get_by_label("Add a tag").focus()
    press(page, page.get_by_role("button", name="Add tag"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose a tag from the list")
    expect(page).to_have_title(re.compile("^Error: "))
    expect(page.get_by_text("does the cps pay for the sqe")).to_be_visible()
    no_axe_violations(page)

    press(page, page.get_by_role("link", name="Safeguarding"))
    expect(page.get_by_role("heading", name="Safeguarding", level=1)).to_be_visible()
    expect(page.get_by_text("Not signposted", exact=True)).to_be_visible()
    no_axe_violations(page)
    press(page, page.get_by_role("link", name="Show only those not reviewed yet"))
    expect(page.get_by_role("heading", name=re.compile("not reviewed yet"))).to_be_visible()
    no_axe_violations(page)


def test_recruiter_reads_trends_and_sets_a_question_aside(recruiter_console, page: Page):
    email, secret = recruiter_console.new_account()
    page.goto(f"{recruiter_console.url}/console/sign-in")
    sign_in(page, email, secret)
    press(page, page.get_by_role("link", name="Insights"))
    expect(page.get_by_role("heading", name="Week by week")).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("^Confident answers per week"))).to_be_visible()
    expect(page.get_by_role("heading", name="Ratings by topic")).to_be_visible()
    no_axe_violations(page)

    question = "someone is following me home every night"
    unanswered = page.locator("#unanswered + p + .console-scroll")
    expect(unanswered).to_contain_text(question)
    press(page, page.get_by_role("button", name="Dismiss group 1"))
    expect(page.get_by_role("alert")).to_contain_text("Set aside")
    expect(page.locator("#set-aside ~ .console-scroll").first).to_contain_text(question)
    no_axe_violations(page)

    press(page, page.get_by_role("button", name=re.compile(f"^Put back question {question}")))
    expect(page.get_by_role("alert")).to_contain_text("Put back in the list")
    expect(page.get_by_text("Nothing set aside.")).to_be_visible()
    no_axe_violations(page)


def test_administrator_adds_and_disables_an_account_by_keyboard(recruiter_console, page: Page):
    admin, secret = recruiter_console.new_account("admin")
    page.goto(f"{recruiter_console.url}/console/sign-in")
    sign_in(page, admin, secret)
    press(page, page.get_by_role("link", name="Accounts"))
    expect(page.get_by_role("heading", name="Accounts", level=1)).to_be_visible()
    no_axe_violations(page)

    press(page, page.get_by_role("button", name="Add account"))  # no email yet
    expect(page.locator(".govuk-error-summary")).to_contain_text("is not an email address")
    no_axe_violations(page)

    email = f"keyboard-{uuid.uuid4().hex[:8]}@cps.example"
    page.get_by_label("Email address").focus()
    page.keyboard.type(email)
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text(f"The account {email} was added")
    expect(page.locator("#new-password")).to_have_text(re.compile(r"^\S{20,}$"))
    no_axe_violations(page)

    page.get_by_label(f"Role of {email}").select_option("admin")
    press(page, page.get_by_role("button", name=f"Change role of {email}"))
    expect(page.get_by_role("alert")).to_contain_text(f"The account {email} was changed")
    expect(page.get_by_label(f"Role of {email}")).to_have_value("admin")
    press(page, page.get_by_role("button", name=f"Disable {email}"))
    expect(page.get_by_role("button", name=f"Enable {email}")).to_be_visible()
    no_axe_violations(page)


@pytest.mark.parametrize(
    "path",
    [
        "/console/conversations",
        "/console/conversations/{missed}",
        "/console/safeguarding",
        "/console/insights",
        "/console/accounts",
    ],
)
def test_no_page_scrolls_sideways_at_320_pixels(recruiter_console, page: Page, path):
    admin, secret = recruiter_console.new_account("admin")
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(f"{recruiter_console.url}/console/sign-in")
    sign_in(page, admin, secret)
    expect(page.get_by_role("heading", name="Conversations", exact=True)).to_be_visible(
        timeout=30_000  # signing in checks a password: slow on a busy machine
    )
    page.goto(recruiter_console.url + path.format(**recruiter_console.ids))
    expect(page.locator("h1")).to_be_visible()
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{path} scrolls {overflow} px sideways at 320 px"
    no_axe_violations(page)

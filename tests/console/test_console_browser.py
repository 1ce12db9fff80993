"""The console in headless Chromium: sign in, filter, open a transcript, tag, export,
with axe-core (WCAG 2.2 AA rules) finding nothing on any page."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Page, expect
from seed import PASSWORD, RECRUITER

pytestmark = pytest.mark.browser

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def no_axe_violations(page: Page) -> None:
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        AXE_TAGS,
    )
    violations = [
        {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:3]}
        for v in result["violations"]
    ]
    assert violations == [], json.dumps(violations, indent=1)


def test_recruiter_finds_reads_tags_and_exports_failed_conversations(console, page: Page):
    page.goto(f"{console.url}/console/conversations")
    expect(page).to_have_url(f"{console.url}/console/sign-in?next=%2Fconsole%2Fconversations")
    no_axe_violations(page)

    page.get_by_label("Email address").fill(RECRUITER)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Conversations", exact=True)).to_be_visible()
    no_axe_violations(page)

    page.get_by_label("Conversations where the assistant did not understand").check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("heading", name="2 conversations")).to_be_visible()
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(2)

    page.get_by_label("Search what visitors typed").fill("dog")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("heading", name="1 conversation", exact=True)).to_be_visible()
    no_axe_violations(page)

    page.locator("tbody tr a").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Conversation")
    expect(page.get_by_text("can I bring my dog to the office <b>please</b>")).to_be_visible()
    expect(page.get_by_text("[national insurance number]", exact=False)).to_be_visible()
    no_axe_violations(page)

    page.get_by_label("Add a tag").select_option("content gap")
    page.get_by_role("button", name="Add tag").click()
    expect(page.get_by_text("Saved.", exact=True)).to_be_visible()
    expect(page.locator(".console-tags")).to_contain_text("content gap")
    no_axe_violations(page)

    page.get_by_role("link", name="Back to conversations").click()
    page.get_by_label("Tag", exact=True).select_option("content gap")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("heading", name="1 conversation", exact=True)).to_be_visible()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV").click()
    exported = download_info.value
    assert exported.suggested_filename.endswith(".csv")
    content = open(exported.path(), encoding="utf-8").read()
    assert "content gap" in content and "QQ 12" not in content

    page.get_by_role("link", name="Insights").click()
    expect(
        page.get_by_role("heading", name="Questions the assistant could not answer")
    ).to_be_visible()
    expect(
        page.get_by_label("Candidate training examples (Rasa NLU format) to copy")
    ).to_contain_text("- intent: TODO")
    no_axe_violations(page)


def test_console_reflows_at_320_pixels(console, page: Page):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(f"{console.url}/console/sign-in")
    page.get_by_label("Email address").fill(RECRUITER)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Conversations", exact=True)).to_be_visible()
    no_axe_violations(page)

"""The transparency pages and the widget's links to them, in headless Chromium.

Each page is checked with axe-core (WCAG 2.2 A and AA), used with the keyboard
alone, and reflowed at 320 CSS pixels. The web app runs without Rasa: these pages
and links need no answers.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from widget_page import axe_violations, is_focused, tab_to

pytestmark = pytest.mark.browser

PAGES = {
    "/accessibility": "Accessibility statement for the CPS careers assistant",
    "/algorithmic-transparency": "Algorithmic transparency record: the CPS careers assistant",
    "/accuracy": "How accurate the careers assistant is",
}
FOOTER = {
    "Privacy notice for the careers assistant": "/privacy",
    "Accessibility statement": "/accessibility",
    "Algorithmic transparency record": "/algorithmic-transparency",
    "How accurate the careers assistant is": "/accuracy",
}


@pytest.mark.parametrize("path", list(PAGES))
def test_each_page_passes_axe_and_is_used_by_keyboard(measured_web, page, path):
    page.goto(measured_web.url + path)
    expect(page.get_by_role("heading", level=1)).to_have_text(PAGES[path])
    assert axe_violations(page) == []

    # The first Tab reaches the skip link, which takes focus past the navigation.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    assert is_focused(skip)
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{measured_web.url}{path}#main")

    # The footer says which page this is, and Tab and Enter follow its links.
    footer = page.get_by_role("navigation", name="About the careers assistant")
    current = footer.get_by_role("link", name=next(k for k, v in FOOTER.items() if v == path))
    expect(current).to_have_attribute("aria-current", "page")
    target = next(name for name, href in FOOTER.items() if href != path)
    link = footer.get_by_role("link", name=target)
    tab_to(page, link)
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{FOOTER[target]}")


def test_the_measured_figures_read_well_in_a_table(measured_web, page):
    page.goto(measured_web.url + "/accuracy")
    table = page.get_by_role("table", name="Results for each kind of visitor message")
    expect(table.get_by_role("row")).to_have_count(3)
    expect(table.get_by_role("rowheader", name="Safety")).to_be_visible()
    expect(page.get_by_text("96.1%")).to_be_visible()


def test_the_pages_say_when_nothing_has_been_measured(unmeasured_web, page):
    page.goto(unmeasured_web.url + "/accuracy")
    expect(page.get_by_text("The careers assistant has not been measured yet.")).to_be_visible()
    assert axe_violations(page) == []


@pytest.mark.parametrize("path", list(PAGES))
def test_each_page_reflows_at_320_css_pixels(measured_web, browser, path):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    try:
        narrow = context.new_page()
        narrow.goto(measured_web.url + path)
        expect(narrow.get_by_role("heading", level=1)).to_be_visible()
        assert narrow.evaluate("document.documentElement.scrollWidth") <= 320
    finally:
        context.close()


def test_the_widget_links_to_the_pages_about_the_assistant(measured_web, page, widget):
    page.goto(measured_web.url + "/")
    widget.open_by_keyboard()
    panel = page.get_by_role("region", name="Careers assistant")
    links = {
        "Privacy notice": "/privacy",
        "accessibility": "/accessibility",
        "how it works": "/algorithmic-transparency",
        "how accurate it is": "/accuracy",
    }
    for name, path in links.items():
        expect(panel.get_by_role("link", name=name, exact=True)).to_have_attribute(
            "href", measured_web.url + path
        )
    assert axe_violations(page) == [], "open, with the links"

    # From the message box, Shift+Tab reaches the links; Enter opens the page in the same tab.
    accuracy = panel.get_by_role("link", name="how accurate it is", exact=True)
    tab_to(page, accuracy, backwards=True)
    page.keyboard.press("Enter")
    page.wait_for_url("**/accuracy")
    expect(page.get_by_role("heading", level=1)).to_have_text(PAGES["/accuracy"])
    # The panel stays open across pages, as the conversation does.
    expect(page.get_by_role("region", name="Careers assistant")).to_be_visible()
    assert axe_violations(page) == [], "accuracy page with the widget open"
    page.keyboard.press("Escape")
    expect(widget.launcher).to_be_visible()


def test_the_site_can_point_the_widget_at_its_own_pages(measured_web, other_site, page, widget):
    url = other_site(f"""<!DOCTYPE html>
<html lang="en-GB"><head><title>Another site</title></head><body><main><h1>Another site</h1>
</main><script src="{measured_web.url}/widget/widget.js" data-server="{measured_web.url}"
  data-accessibility="/our-accessibility" data-transparency="https://example.org/atrs"
  data-accuracy="javascript:alert(1)" defer></script></body></html>""")
    page.goto(url)
    widget.launcher.click()
    panel = page.get_by_role("region", name="Careers assistant")
    origin = url.rsplit("/", 1)[0]
    expect(panel.get_by_role("link", name="accessibility", exact=True)).to_have_attribute(
        "href", origin + "/our-accessibility"
    )
    expect(panel.get_by_role("link", name="how it works", exact=True)).to_have_attribute(
        "href", "https://example.org/atrs"
    )
    # An address that is not http(s) is ignored: the assistant's own page is linked instead.
    expect(panel.get_by_role("link", name="how accurate it is", exact=True)).to_have_attribute(
        "href", measured_web.url + "/accuracy"
    )


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/cy/accessibility", "Datganiad hygyrchedd cynorthwyydd gyrfaoedd y CPS"),
        ("/cy/privacy", "Hysbysiad preifatrwydd y cynorthwyydd gyrfaoedd"),
    ],
)
def test_each_welsh_page_passes_axe_and_is_used_by_keyboard(measured_web, page, path, heading):
    page.goto(measured_web.url + path)
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    assert axe_violations(page) == []
    page.keyboard.press("Tab")
    assert is_focused(page.get_by_role("link", name="Neidio i'r prif gynnwys"))
    english = page.get_by_role("link", name="English", exact=True)
    tab_to(page, english)
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{path.removeprefix('/cy')}")
    expect(page.locator("html")).to_have_attribute("lang", "en-GB")

"""The clerk asks for updates for the demo's coming meeting; the officer follows the link in the
email, adds an update, and the request page shows it answered. axe checks every new page."""

import re

from playwright.sync_api import expect

from recommendations.demo.living import REVIEW
from reviews.models import Meeting
from tests.browser.conftest import assert_accessible, sign_in
from tests.recommendations.requests.conftest import Collect, mail_server


def test_the_clerk_asks_and_the_officer_answers_through_the_link_in_the_email(page, demo, settings):
    meeting = Meeting.objects.get(work_programme_items__review__title=REVIEW)
    with mail_server(settings, Collect()) as server:
        settings.SITE_URL = page.base_url
        sign_in(page, "clerk")
        page.goto(f"{page.base_url}/meetings/{meeting.pk}/")
        page.get_by_role("link", name="Ask for updates").click()
        expect(page.get_by_role("heading", name="Ask for updates")).to_be_visible()
        expect(page.get_by_label(REVIEW)).to_be_checked()
        assert_accessible(page)

        page.get_by_role("button", name="Continue").click()
        expect(
            page.get_by_role("heading", name="Check the requests before sending")
        ).to_be_visible()
        expect(page.locator("#nobody-to-ask")).to_contain_text("recommendation R4")
        expect(page.locator(".govuk-summary-list")).to_contain_text("officer@example.org")
        assert_accessible(page)

        page.get_by_role("button", name="Send requests").click()
        expect(page.get_by_role("heading", name="Request for updates")).to_be_visible()
        expect(page.locator("#answered-count")).to_have_text("0 of 4 answered")
        assert_accessible(page)
        request_url = page.url

        [(recipients, message)] = server.messages
        assert recipients == ["officer@example.org"]
        text = message.get_body(("plain",)).get_content()
        link = re.search(r"Add progress update: (\S+)", text.split("recommendation R3")[1])[1]
        assert link.startswith(page.base_url)

        page.context.clear_cookies()
        sign_in(page, "officer")
        page.goto(link)
        expect(page.get_by_role("heading", name="Add progress update")).to_be_visible()
        page.get_by_label("On track").check()
        page.get_by_label("Progress update", exact=True).fill(
            "The web team has added the links to the safeguarding pages."
        )
        page.get_by_role("button", name="Add progress update").click()
        expect(page.get_by_role("alert")).to_contain_text("Progress update added")

        page.context.clear_cookies()
        sign_in(page, "clerk")
        page.goto(request_url)
        expect(page.locator("#answered-count")).to_have_text("1 of 4 answered")
        row = page.locator("#requested tr", has_text="recommendation R3")
        expect(row).to_contain_text("Answered")
        assert_accessible(page)

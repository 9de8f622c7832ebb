import re

from playwright.sync_api import expect

from recommendations.demo.seed import MEETING_DATE
from reviews.models import Review
from tests.browser.conftest import assert_accessible, sign_in


def test_the_clerk_reads_corrects_and_publishes_the_appendix_accessibly(page, demo):
    review = Review.objects.get(title="Scrutiny Review of Cybercrime")
    sign_in(page, "clerk")
    page.goto(f"{page.base_url}/reviews/{review.pk}/progress-report/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Appendix 2: Progress against the recommendations of the Scrutiny Review of Cybercrime"
    )
    expect(page.get_by_role("table").nth(1)).to_contain_text("Slipped")
    assert_accessible(page)

    page.get_by_label("Day").fill("32")
    page.get_by_label("Appendix number").fill("two")
    page.get_by_role("button", name="Show the report").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Position as at must be a real date")
    expect(summary).to_contain_text("Appendix number must be a whole number, like 2")
    assert_accessible(page)

    page.get_by_label("Day").fill("21")
    page.get_by_label("Month").fill("1")
    page.get_by_label("Year").fill("2019")
    page.get_by_label("Meeting of the committee").select_option(label="21 January 2019")
    page.get_by_label("Appendix number").fill("2")
    page.get_by_role("button", name="Show the report").click()
    expect(page.get_by_text("Position as at 21 January 2019").first).to_be_visible()
    expect(page.get_by_role("link", name="Download PDF")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Publish to the meeting of 21 January 2019").click()
    expect(page.get_by_role("heading", name="Meeting of 21 January 2019")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("Appendix 2 published")
    expect(page.get_by_role("link", name=re.compile("^PDF"))).to_be_visible()
    assert_accessible(page)


def test_a_councillor_sees_no_publish_button_and_the_meeting_page_is_accessible(page, demo):
    review = Review.objects.get(title="Scrutiny Review of Cybercrime")
    meeting = review.committee.meetings.get(date=MEETING_DATE)  # the seed minute's meeting
    sign_in(page, "councillor")
    page.goto(
        f"{page.base_url}/reviews/{review.pk}/progress-report/"
        f"?as_at_day=21&as_at_month=1&as_at_year=2019&meeting={meeting.pk}&number=2"
    )
    expect(page.get_by_role("link", name="meeting of 21 January 2019")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("^Publish"))).to_have_count(0)
    page.goto(f"{page.base_url}/meetings/{meeting.pk}/")
    expect(page.get_by_text("No appendix has been published to this meeting.")).to_be_visible()
    assert_accessible(page)


def test_with_javascript_the_preparing_page_updates_in_place_without_reloading(page, demo):
    from recommendations.models import PdfJob

    review = Review.objects.get(title__contains="Cybercrime")
    job = PdfJob.objects.create(kind=PdfJob.Kind.DOWNLOAD, review=review, file_name="a.pdf")
    sign_in(page, "councillor")
    page.goto(f"{page.base_url}/pdf-jobs/{job.pk}/")
    expect(page.get_by_text("Waiting for the worker to start")).to_be_visible()
    assert page.locator("meta[http-equiv=refresh]").count() == 0  # only inside <noscript>
    page.evaluate("window.stillTheSamePage = true")

    PdfJob.objects.filter(pk=job.pk).update(status=PdfJob.Status.READY)

    expect(page.get_by_role("link", name="Download the PDF")).to_be_visible(timeout=10_000)
    assert page.evaluate("window.stillTheSamePage") is True
    assert_accessible(page)

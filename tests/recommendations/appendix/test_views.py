"""The appendix pages: on screen, as a PDF, published to a meeting; the meeting page."""

import datetime
import hashlib

import pytest
from django.urls import reverse
from django.utils.formats import date_format

from recommendations.models import PublishedAppendix
from reviews.models import User
from tests.factories import make_committee, make_meeting
from tests.recommendations.appendix.helpers import DEMO_MEETING, load_demo, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    return load_demo()


def page_url(review):
    return reverse("recommendations:show_progress_report", args=[review.pk])


def pdf_url(review):
    return reverse("recommendations:download_progress_report_pdf", args=[review.pk])


def publish_url(review):
    return reverse("recommendations:publish_progress_report", args=[review.pk])


def choices(chosen_meeting=None, day=DEMO_MEETING, number="2", **extra):
    data = {
        "as_at_day": str(day.day),
        "as_at_month": str(day.month),
        "as_at_year": str(day.year),
        "number": number,
        "meeting": str(chosen_meeting.pk) if chosen_meeting else "",
    }
    return {**data, **extra}


def test_signed_out_people_are_sent_to_sign_in(client, demo):
    review, meeting = demo
    for url in (page_url(review), pdf_url(review), f"/meetings/{meeting.pk}/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/sign-in/")
    response = client.post(publish_url(review), choices(meeting))
    assert response.status_code == 302 and response["Location"].startswith("/sign-in/")
    assert not PublishedAppendix.objects.exists()


def test_a_councillor_reads_todays_appendix_as_an_accessible_table(client, councillor, demo):
    review, _ = demo
    client.force_login(councillor)
    response = client.get(page_url(review))
    assert response.status_code == 200
    html = response.content.decode()
    today = datetime.date.today()
    assert f"Position as at {date_format(today)}" in html
    assert "<caption" in html and '<th scope="col"' in html and '<th scope="row"' in html
    assert "govuk-tag--yellow" in html and ">Slipped<" in html
    assert "Download PDF" in html
    # Councillors do not publish.
    assert "Publish to the meeting" not in html


def test_it_shows_the_chosen_date_and_meeting(client, clerk, demo):
    review, meeting = demo
    client.force_login(clerk)
    response = client.get(page_url(review), choices(meeting, number="3"))
    html = response.content.decode()
    assert "Appendix 3: Progress against the recommendations" in html
    assert (
        f'For the <a class="govuk-link" href="/meetings/{meeting.pk}/">meeting of 21 January 2019</a>'
        in html
    )
    assert "Position as at 21 January 2019" in html
    assert "7 January 2019" in html
    assert "Publish to the meeting of 21 January 2019" in html


@pytest.mark.parametrize(
    ("changes", "message", "anchor"),
    [
        ({"as_at_day": "32"}, "Position as at must be a real date", "id_as_at_day"),
        ({"as_at_month": ""}, "Position as at must include a month", "id_as_at_day"),
        ({"as_at_year": "19"}, "Year must include 4 numbers", "id_as_at_day"),
        (
            {"as_at_year": "1995"},
            "Position as at must be on or after 1 January 2000",
            "id_as_at_day",
        ),
        (
            {"as_at_year": "1066"},
            "Position as at must be between 1 January 1990 and 31 December 2100",
            "id_as_at_day",
        ),
        ({"number": "two"}, "Appendix number must be a whole number, like 2", "id_number"),
        ({"number": "0"}, "Appendix number must be 1 or more", "id_number"),
        ({"number": ""}, "Enter the appendix number", "id_number"),
        ({"meeting": "999999"}, "Select a meeting of this review&#x27;s committee", "id_meeting"),
        ({"meeting": "x"}, "Select a meeting of this review&#x27;s committee", "id_meeting"),
    ],
)
def test_bad_choices_get_an_error_summary(client, councillor, demo, changes, message, anchor):
    review, meeting = demo
    client.force_login(councillor)
    response = client.get(page_url(review), choices(meeting, **changes))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Error: " in html
    assert "govuk-error-summary" in html
    assert f'<a href="#{anchor}">{message}</a>' in html
    assert "Download PDF" not in html
    response = client.get(pdf_url(review), choices(meeting, **changes))
    assert response.status_code == 400
    assert message in response.content.decode()


def test_a_meeting_of_another_committee_is_refused(client, councillor, demo):
    review, _ = demo
    other = make_meeting(committee=make_committee(), date=DEMO_MEETING)
    client.force_login(councillor)
    response = client.get(page_url(review), choices(other))
    assert "Select a meeting of this review&#x27;s committee" in response.content.decode()


def test_anyone_signed_in_downloads_the_pdf_with_a_name_that_says_what_it_is(client, officer, demo):
    review, meeting = demo
    client.force_login(officer)
    response = client.get(pdf_url(review), choices(meeting))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="appendix-2-scrutiny-review-of-cybercrime-2019-01-21.pdf"'
    )
    assert "Position as at 21 January 2019" in pdf_text(response.content)


def test_an_unknown_review_is_not_found(client, councillor, demo):
    client.force_login(councillor)
    assert client.get("/reviews/999999/progress-report/").status_code == 404
    assert client.get("/meetings/999999/").status_code == 404
    assert client.get("/published-appendices/999999/pdf/").status_code == 404


def test_the_clerk_publishes_an_appendix_to_a_meeting(client, clerk, demo):
    review, meeting = demo
    client.force_login(clerk)
    response = client.post(publish_url(review), choices(meeting))
    assert response.status_code == 302
    assert response["Location"] == f"/meetings/{meeting.pk}/"

    published = PublishedAppendix.objects.get()
    assert (published.review, published.meeting, published.as_at) == (review, meeting, DEMO_MEETING)
    assert (published.number, published.include_closed) == (2, False)
    assert published.published_by == clerk
    assert published.known_at == published.published_at
    assert published.pdf_sha256 == hashlib.sha256(bytes(published.pdf)).hexdigest()
    assert "WeasyPrint" in published.generator_version
    assert "pikepdf" in published.generator_version
    assert "Position as at 21 January 2019" in published.html
    assert "csrfmiddlewaretoken" not in published.html and "nonce" not in published.html

    page = client.get(response["Location"]).content.decode()
    assert "Appendix 2 published to the meeting of 21 January 2019" in page
    assert published.pdf_sha256 in page
    assert f"/published-appendices/{published.pk}/pdf/" in page
    assert f"/published-appendices/{published.pk}/html/" in page


def test_an_administrator_may_publish(client, administrator, demo):
    review, meeting = demo
    client.force_login(administrator)
    assert client.post(publish_url(review), choices(meeting)).status_code == 302
    assert PublishedAppendix.objects.count() == 1


@pytest.mark.parametrize("persona", ["councillor", "officer"])
def test_councillors_and_officers_may_not_publish(client, demo, persona):
    review, meeting = demo
    client.force_login(User.objects.get(username=persona))  # the demo's
    assert client.post(publish_url(review), choices(meeting)).status_code == 403
    assert not PublishedAppendix.objects.exists()


def test_publishing_needs_a_post(client, clerk, demo):
    review, meeting = demo
    client.force_login(clerk)
    assert client.get(publish_url(review), choices(meeting)).status_code == 405
    assert not PublishedAppendix.objects.exists()


def test_publishing_needs_a_meeting_and_valid_choices(client, clerk, demo):
    review, _ = demo
    client.force_login(clerk)
    response = client.post(publish_url(review), choices(None, number="x"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Select the meeting to publish the appendix to" in html
    assert "Appendix number must be a whole number, like 2" in html
    assert not PublishedAppendix.objects.exists()


def test_published_copies_download_as_stored(client, clerk, councillor, demo):
    review, meeting = demo
    client.force_login(clerk)
    client.post(publish_url(review), choices(meeting))
    published = PublishedAppendix.objects.get()

    client.force_login(councillor)
    pdf = client.get(f"/published-appendices/{published.pk}/pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content == bytes(published.pdf)
    assert pdf["Content-Disposition"] == (
        'attachment; filename="appendix-2-scrutiny-review-of-cybercrime-2019-01-21.pdf"'
    )
    html = client.get(f"/published-appendices/{published.pk}/html/")
    assert html.content.decode() == published.html
    assert html["Content-Disposition"].endswith('-2019-01-21.html"')


def test_the_meeting_page_lists_its_work_programme(client, councillor, demo):
    review, meeting = demo
    client.force_login(councillor)
    html = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert "Meeting of 21 January 2019" in html
    assert "Progress of recommendations following the Overview and Scrutiny Review" in html
    assert "No appendix has been published to this meeting." in html
    assert f"/reviews/{review.pk}/progress-report/?" in html


def test_a_link_giving_only_the_date_shows_appendix_two_for_that_date(client, councillor):
    from tests.factories import make_review

    review = make_review()
    client.force_login(councillor)
    response = client.get(
        f"/reviews/{review.pk}/progress-report/?as_at_day=21&as_at_month=1&as_at_year=2019"
    )
    assert response.status_code == 200
    assert b"There is a problem" not in response.content
    assert b"Appendix 2" in response.content
    assert b"21 January 2019" in response.content

"""A published appendix: the same HTML when rendered again for its D and K, and never changed."""

import datetime

import pytest
import time_machine

from recommendations.appendix.build import build_appendix
from recommendations.appendix.pdf import html_to_pdf, sha256
from recommendations.appendix.publish import appendix_for_published, publish_appendix
from recommendations.appendix.render import render_report_html
from recommendations.choices import Status
from recommendations.models import AppendOnlyError, ProgressUpdate, PublishedAppendix
from reviews.models import User
from tests.recommendations.appendix.helpers import DEMO_MEETING, at, load_demo

pytestmark = pytest.mark.django_db

AS_AT = datetime.date(2019, 1, 14)


@pytest.fixture
def published():
    review, meeting = load_demo()
    with time_machine.travel(at(datetime.date(2019, 1, 15), 9, 30), tick=False):
        return publish_appendix(
            review, meeting=meeting, as_at=AS_AT, user=User.objects.get(username="clerk")
        )


def late_update(published) -> ProgressUpdate:
    """An update dated before D, recorded and accepted after the copy was published."""
    recommendation = published.review.recommendations.get(number="2")
    with time_machine.travel(at(datetime.date(2019, 1, 18)), tick=False):
        update = recommendation.record_progress(
            author=User.objects.get(username="officer"),
            as_at=datetime.date(2019, 1, 12),
            status=Status.SLIPPED,
            narrative="Late news: the second Cadets session was postponed.",
        )
    with time_machine.travel(at(datetime.date(2019, 1, 19)), tick=False):
        update.accept(by=published.published_by)
    return update


def test_rendering_again_for_its_d_and_k_gives_the_same_html(published):
    published.refresh_from_db()
    assert published.known_at == at(datetime.date(2019, 1, 15), 9, 30)
    assert "Generated 15 January 2019 at 09:30" in published.html
    assert render_report_html(appendix_for_published(published)) == published.html


def test_rendering_again_for_its_d_and_k_gives_a_pdf_with_the_same_sha256(published):
    late_update(published)
    published.refresh_from_db()
    again = html_to_pdf(render_report_html(appendix_for_published(published)))
    assert sha256(again) == published.pdf_sha256 == sha256(bytes(published.pdf))


def test_a_late_update_is_absent_from_the_copy_and_present_when_known_now(published):
    late_update(published)
    published.refresh_from_db()

    again = render_report_html(appendix_for_published(published))
    assert again == published.html
    assert "Late news" not in again

    known_now = build_appendix(
        published.review,
        AS_AT,
        known_at=datetime.datetime.now(tz=datetime.UTC),
        meeting=published.meeting,
    )
    row = next(row for row in known_now.rows if row.number == "2")
    assert row.status == Status.SLIPPED
    assert "Late news" in render_report_html(known_now)


def test_a_published_copy_cannot_be_changed_or_deleted(published):
    published.refresh_from_db()
    published.html = "<p>Something else</p>"
    with pytest.raises(AppendOnlyError):
        published.save()
    with pytest.raises(AppendOnlyError):
        published.delete()
    with pytest.raises(AppendOnlyError):
        PublishedAppendix.objects.filter(pk=published.pk).update(html="")
    with pytest.raises(AppendOnlyError):
        PublishedAppendix.objects.all().delete()
    assert PublishedAppendix.objects.get().html.startswith("<!DOCTYPE html>")


def test_the_admin_shows_published_copies_read_only(client, administrator, published):
    client.force_login(administrator)
    base = "/admin/recommendations/publishedappendix/"
    assert client.get(base).status_code == 200
    change = client.get(f"{base}{published.pk}/change/")
    assert change.status_code == 200
    assert published.pdf_sha256 in change.content.decode()
    assert 'name="_save"' not in change.content.decode()
    assert client.post(f"{base}{published.pk}/change/", {"number": "9"}).status_code == 403
    assert client.get(f"{base}{published.pk}/delete/").status_code == 403
    assert client.post(f"{base}{published.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.get(f"{base}add/").status_code == 403
    bulk = client.post(
        base, {"action": "delete_selected", "_selected_action": [published.pk], "post": "yes"}
    )
    assert bulk.status_code in {200, 302}
    assert PublishedAppendix.objects.get().number == 2


def test_a_meeting_of_another_committee_cannot_be_published_to(published):
    from tests.factories import make_committee, make_meeting

    other = make_meeting(committee=make_committee(), date=DEMO_MEETING)
    with pytest.raises(ValueError, match="not a meeting of the review's committee"):
        publish_appendix(published.review, meeting=other, as_at=AS_AT, user=published.published_by)

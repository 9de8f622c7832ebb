"""The appendix builder: what it shows, as at a date D as known at a moment K, at any size."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from recommendations.appendix.build import build_appendix, default_known_at
from recommendations.appendix.render import render_report_html
from recommendations.choices import Closure, Response, Status
from recommendations.models import Recommendation
from tests.factories import (
    make_meeting,
    make_organisation,
    make_progress_report_item,
    make_recommendation,
    make_review,
    make_update,
    make_user,
)
from tests.recommendations.appendix.helpers import DEMO_MEETING, at, load_demo

pytestmark = pytest.mark.django_db

D = datetime.date(2019, 1, 31)


def test_it_shows_the_demo_review_as_the_committee_read_it():
    review, meeting = load_demo()
    appendix = build_appendix(review, DEMO_MEETING, meeting=meeting)

    assert appendix.title == (
        "Appendix 2: Progress against the recommendations of the Scrutiny Review of Cybercrime"
    )
    assert appendix.heading_lines == (
        "Safer and Stronger Communities Overview and Scrutiny Committee",
        "Meeting of 21 January 2019",
        "Position as at 21 January 2019",
    )
    assert [row.number for row in appendix.rows] == list("1234567")
    counts = {item.status: item.count for item in appendix.summary}
    assert counts == {
        Status.NOT_STARTED: 0,
        Status.ON_TRACK: 4,
        Status.SLIPPED: 1,
        Status.NOT_ACHIEVED: 0,
        Status.ACHIEVED: 2,
        Status.NO_LONGER_APPLICABLE: 0,
    }
    assert appendix.overdue_count == 0
    third = appendix.rows[2]
    assert third.status == Status.SLIPPED
    assert third.revised_target_date == datetime.date(2019, 7, 31)
    assert "University of Bath" in third.revision_reason
    assert third.partners == ("University of Bath",)
    assert third.narrative[0].as_at == datetime.date(2019, 1, 7)
    assert appendix.rows[5].response == Response.PARTIALLY_ACCEPTED
    assert appendix.file_name("pdf") == "appendix-2-scrutiny-review-of-cybercrime-2019-01-21.pdf"


def test_it_orders_rows_naturally_and_counts_overdue_and_not_started():
    review = make_review()
    make_recommendation("10", review=review, target_date=datetime.date(2019, 1, 1))
    second = make_recommendation("2", review=review, target_date=datetime.date(2019, 1, 1))
    make_update(second, as_at=datetime.date(2019, 1, 2), status=Status.ACHIEVED)
    make_recommendation("R1", review=review, target_date=datetime.date(2020, 1, 1))

    appendix = build_appendix(
        review, datetime.date(2019, 6, 1), known_at=at(datetime.date(2030, 1, 1))
    )

    assert [row.number for row in appendix.rows] == ["2", "10", "R1"]
    assert [row.is_overdue for row in appendix.rows] == [False, True, False]
    assert appendix.rows[1].status == Status.NOT_STARTED
    assert appendix.rows[1].narrative == ()
    assert appendix.overdue_count == 1


def test_it_marks_overdue_what_the_register_calls_overdue():
    """Overdue is one rule: the appendix for today, as known now, agrees with the queryset."""
    today = timezone.localdate()
    past, future = today - datetime.timedelta(days=30), today + datetime.timedelta(days=30)
    review = make_review()
    make_recommendation("1", review=review, target_date=past)
    achieved = make_recommendation("2", review=review, target_date=past)
    make_update(achieved, as_at=today, status=Status.ACHIEVED)
    make_recommendation("3", review=review, target_date=past, revised_target_date=future)
    make_recommendation("4", review=review)
    closed = make_recommendation("5", review=review, target_date=past)
    closed.close(
        meeting=make_meeting(committee=review.committee, date=past),
        how=Closure.NOT_IMPLEMENTED,
        user=make_user(),
    )
    slipped = make_recommendation("6", review=review, target_date=past, revised_target_date=past)
    make_update(slipped, as_at=today, status=Status.SLIPPED)

    appendix = build_appendix(review, today, include_closed=True)

    overdue = Recommendation.objects.filter(review=review).overdue(today)
    assert {row.number for row in appendix.rows if row.is_overdue} == {"1", "6"}
    assert set(overdue.values_list("number", flat=True)) == {"1", "6"}
    assert appendix.overdue_count == 2


def test_the_narrative_holds_updates_since_the_previous_report_newest_first():
    review = make_review()
    earlier = make_meeting(committee=review.committee, date=datetime.date(2019, 1, 10))
    make_progress_report_item(review=review, meeting=earlier)
    busy = make_recommendation("1", review=review)
    quiet = make_recommendation("2", review=review)
    for day in (5, 12, 20):
        make_update(busy, as_at=datetime.date(2019, 1, day), narrative=f"Busy on {day}.")
    make_update(quiet, as_at=datetime.date(2019, 1, 3), narrative="Quiet on 3.")
    make_update(quiet, as_at=datetime.date(2019, 1, 6), narrative="Quiet on 6.")

    appendix = build_appendix(review, D, known_at=at(datetime.date(2030, 1, 1)))

    assert appendix.previous_report_date == datetime.date(2019, 1, 10)
    assert [entry.text for entry in appendix.rows[0].narrative] == ["Busy on 20.", "Busy on 12."]
    # Nothing since the last report: the latest one alone.
    assert [entry.text for entry in appendix.rows[1].narrative] == ["Quiet on 6."]


def test_closed_recommendations_are_left_out_unless_asked_for():
    review = make_review()
    meeting = make_meeting(committee=review.committee, date=datetime.date(2019, 1, 10))
    make_recommendation("1", review=review)
    closed = make_recommendation("2", review=review)
    closed.close(meeting=meeting, how=Closure.IMPLEMENTED, user=make_user())

    today = datetime.date.today()
    assert [r.number for r in build_appendix(review, today).rows] == ["1"]
    with_closed = build_appendix(review, today, include_closed=True)
    assert [r.number for r in with_closed.rows] == ["1", "2"]
    assert with_closed.rows[1].closure_label == "Implemented"


def test_it_shows_each_recommendation_as_it_stood_at_the_as_at_date():
    old_lead, new_lead = make_organisation("Old lead"), make_organisation("New lead")
    old_partner, new_partner = make_organisation("Old partner"), make_organisation("New partner")
    with time_machine.travel(at(datetime.date(2019, 1, 2)), tick=False):
        review = make_review()
        recommendation = make_recommendation(
            "1", review=review, text="The old wording.", lead_organisation=old_lead
        )
        recommendation.partners.set([old_partner])
    with time_machine.travel(at(datetime.date(2019, 1, 20)), tick=False):
        make_update(recommendation, as_at=datetime.date(2019, 1, 20), narrative="Before D.")
    with time_machine.travel(at(datetime.date(2019, 2, 10)), tick=False):
        recommendation.text = "The new wording."
        recommendation.lead_organisation = new_lead
        recommendation.save()
        recommendation.partners.set([new_partner])
        make_update(recommendation, as_at=datetime.date(2019, 2, 10), narrative="After D.")
    with time_machine.travel(at(datetime.date(2019, 2, 15)), tick=False):
        make_recommendation("2", review=review, text="Created after D.")

    then = build_appendix(review, D)
    assert [row.number for row in then.rows] == ["1"]
    (row,) = then.rows
    assert (row.text, row.lead, row.partners) == ("The old wording.", "Old lead", ("Old partner",))
    assert [entry.text for entry in row.narrative] == ["Before D."]

    now = build_appendix(review, datetime.date.today())
    assert [row.number for row in now.rows] == ["1", "2"]
    row = now.rows[0]
    assert (row.text, row.lead, row.partners) == ("The new wording.", "New lead", ("New partner",))
    assert row.narrative[0].text == "After D."


def test_an_update_recorded_after_k_is_left_out_even_when_dated_before_d():
    with time_machine.travel(at(datetime.date(2019, 1, 2)), tick=False):
        review = make_review()
        recommendation = make_recommendation("1", review=review)
    make_update(
        recommendation,
        as_at=datetime.date(2019, 1, 30),
        status=Status.SLIPPED,
        recorded_at=at(datetime.date(2019, 2, 3)),
    )
    assert build_appendix(review, D).rows[0].status == Status.NOT_STARTED
    known_now = build_appendix(review, D, known_at=at(datetime.date(2019, 2, 4)))
    assert known_now.rows[0].status == Status.SLIPPED


def test_k_defaults_to_the_end_of_a_past_day_and_to_now_for_today():
    now = at(datetime.date(2019, 2, 1), 9)
    end_of_d = default_known_at(D, now)
    assert end_of_d.date() == D and (end_of_d.hour, end_of_d.minute) == (23, 59)
    assert default_known_at(datetime.date(2019, 2, 1), now) == now
    assert default_known_at(datetime.date(2019, 3, 1), now) == now


def test_it_rejects_a_meeting_of_another_committee():
    review = make_review()
    other = make_meeting(committee=make_review().committee, date=D)
    with pytest.raises(ValueError, match="not a meeting of the review's committee"):
        build_appendix(review, D, meeting=other)


def test_user_text_is_escaped_in_the_report_html():
    review = make_review("Review of <b>bold</b> claims")
    make_recommendation(
        "1", review=review, text='<script>alert("x")</script> & <img src=x onerror=alert(1)>'
    )
    html = render_report_html(build_appendix(review, datetime.date.today()))
    assert "<script>" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;img" in html
    assert "Review of &lt;b&gt;bold&lt;/b&gt; claims" in html


def make_review_of(size: int):
    review = make_review()
    author = make_user()
    partner = make_organisation()
    lead = make_organisation()
    for number in range(1, size + 1):
        recommendation = make_recommendation(str(number), review=review, lead_organisation=lead)
        recommendation.partners.set([partner])
        make_update(recommendation, as_at=datetime.date(2019, 1, 5), author=author)
    make_progress_report_item(
        review=review,
        meeting=make_meeting(committee=review.committee, date=datetime.date(2019, 1, 3)),
    )
    return review


def test_it_uses_the_same_number_of_queries_for_7_and_300_recommendations(
    django_assert_num_queries,
):
    small, large = make_review_of(7), make_review_of(300)
    known_at = at(datetime.date(2030, 1, 1))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small_queries:
        assert len(build_appendix(small, D, known_at=known_at).rows) == 7
    with django_assert_num_queries(len(small_queries)):
        appendix = build_appendix(large, D, known_at=known_at)
    assert len(appendix.rows) == 300
    assert all(row.partners and row.narrative for row in appendix.rows)

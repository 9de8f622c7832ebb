"""`manage.py check_integrity`: published appendices still match their SHA-256 and render again
to the same bytes; stored current statuses agree with the updates. Differences are named and the
command fails."""

import datetime
import io

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from recommendations.appendix.pdf import sha256
from recommendations.appendix.publish import publish_appendix
from recommendations.choices import Status
from recommendations.models import PublishedAppendix, Recommendation
from reviews.models import User
from tests.recommendations.appendix.helpers import at, load_demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def published():
    review, meeting = load_demo()
    with time_machine.travel(at(datetime.date(2019, 1, 15), 9, 30), tick=False):
        return publish_appendix(
            review,
            meeting=meeting,
            as_at=datetime.date(2019, 1, 14),
            user=User.objects.get(username="clerk"),
        )


def check_integrity(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("check_integrity", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def check_fails(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("check_integrity", *args, stdout=out, stderr=err)
    return str(failure.value), err.getvalue()


def tamper_with(published: PublishedAppendix, **columns) -> None:
    """Change the stored copy behind the application's back, as a bad restore or disk would:
    the model itself refuses every change."""
    assignments = ", ".join(f"{column} = %s" for column in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {PublishedAppendix._meta.db_table} SET {assignments} WHERE id = %s",
            [*columns.values(), published.pk],
        )


def test_a_clean_database_passes_and_says_what_it_checked(published):
    out, err = check_integrity()
    recommendations = Recommendation.objects.count()
    assert out.strip() == (
        f"Checked 1 published appendix and {recommendations} recommendations: everything agrees."
    )
    assert err == ""


def test_an_empty_database_passes():
    out, _ = check_integrity()
    assert "Checked 0 published appendices and 0 recommendations" in out


def test_a_stored_pdf_that_no_longer_matches_its_sha256_is_named(published):
    pdf = bytearray(published.pdf)
    pdf[len(pdf) // 2] ^= 0xFF
    tamper_with(published, pdf=bytes(pdf))

    summary, err = check_fails()

    assert f"Published appendix {published.pk} (Appendix 2: Scrutiny Review of Cybercrime" in err
    assert "the stored PDF does not match its SHA-256" in err
    assert "1 difference" in summary


def test_a_pdf_replaced_with_its_sha256_is_caught_by_rendering_it_again(published):
    other = b"%PDF-1.7\n% not the published appendix\n%%EOF\n"
    tamper_with(published, pdf=other, pdf_sha256=sha256(other))

    _, err = check_fails()

    assert "the stored PDF does not match" not in err
    assert f"Published appendix {published.pk}" in err
    assert "rendering it again for its D and K gives a different PDF" in err


def test_stored_html_that_differs_from_a_new_build_is_named(published):
    tamper_with(published, html=published.html.replace("Cybercrime", "Cybercrimes", 1))

    _, err = check_fails()

    assert "gives different HTML from the stored copy" in err


def test_without_rendering_only_the_sha256_is_checked(published):
    tamper_with(published, html="<p>changed</p>")
    out, _ = check_integrity("--no-render")
    assert "everything agrees" in out


def test_a_stored_status_that_disagrees_with_the_updates_is_named(published):
    recommendation = published.review.recommendations.get(number="3")
    derived = recommendation.current_status
    assert derived != Status.ACHIEVED
    Recommendation.objects.filter(pk=recommendation.pk).update(current_status=Status.ACHIEVED)

    summary, err = check_fails()

    assert (
        f"Recommendation 3 of Scrutiny Review of Cybercrime (id {recommendation.pk}): the stored "
        f"current status is 'Achieved', its updates give '{Status(derived).label}'"
    ) in err
    assert "1 difference" in summary


def test_a_stored_last_update_date_that_disagrees_is_named(published):
    recommendation = published.review.recommendations.get(number="1")
    Recommendation.objects.filter(pk=recommendation.pk).update(
        last_update_date=datetime.date(2001, 2, 3)
    )

    _, err = check_fails()

    assert f"Recommendation 1 of Scrutiny Review of Cybercrime (id {recommendation.pk})" in err
    assert "the stored last update date is 3 February 2001" in err


def test_every_difference_is_listed_at_once(published):
    recommendations = Recommendation.objects.filter(review=published.review)
    not_achieved = recommendations.exclude(current_status=Status.ACHIEVED).count()
    assert not_achieved >= 2
    tamper_with(published, pdf=b"nothing like it")
    recommendations.update(current_status=Status.ACHIEVED)

    summary, err = check_fails("--no-render")

    assert len(err.strip().splitlines()) == 1 + not_achieved
    assert f"{1 + not_achieved} differences" in summary


def test_a_stored_time_of_the_latest_recorded_update_that_disagrees_is_named(published):
    recommendation = published.review.recommendations.get(number="1")
    Recommendation.objects.filter(pk=recommendation.pk).update(
        last_recorded_at=timezone.make_aware(datetime.datetime(2001, 2, 3, 14, 5))
    )

    _, err = check_fails()

    assert f"Recommendation 1 of Scrutiny Review of Cybercrime (id {recommendation.pk})" in err
    assert "the stored time its latest accepted update was recorded is 3 February 2001" in err

import datetime

import pytest
import time_machine

from recommendations.choices import Status
from recommendations.models import ProgressUpdate, Recommendation

D = datetime.date
TODAY = D(2025, 3, 10)
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def today():
    # Ticking, so history rows made in one test have distinct times.
    with time_machine.travel(TODAY):
        yield TODAY


def url(recommendation) -> str:
    return f"/recommendations/{recommendation.pk}/progress-updates/add/"


def form_data(**changes) -> dict:
    data = {
        "as_at_day": "7",
        "as_at_month": "3",
        "as_at_year": "2025",
        "status": Status.ON_TRACK,
        "narrative": "The task group has met twice.",
        "revised_target_date_day": "",
        "revised_target_date_month": "",
        "revised_target_date_year": "",
        "revision_reason": "",
    }
    data.update(changes)
    return data


def slipped(**changes) -> dict:
    return form_data(
        **{
            "status": Status.SLIPPED,
            "revised_target_date_day": "31",
            "revised_target_date_month": "7",
            "revised_target_date_year": "2025",
            "revision_reason": "The university has not replied.",
            **changes,
        }
    )


def test_the_date_is_today_by_default(client, officer, recommendation):
    client.force_login(officer)
    content = client.get(url(recommendation)).content.decode()
    assert 'name="as_at_day" type="text" inputmode="numeric" value="10"' in content
    assert 'name="as_at_month" type="text" inputmode="numeric" value="3"' in content
    assert 'name="as_at_year" type="text" inputmode="numeric" value="2025"' in content


def test_the_statuses_carry_their_meanings_as_hints(client, officer, recommendation):
    client.force_login(officer)
    content = client.get(url(recommendation)).content.decode()
    for status in Status:
        assert f'value="{status.value}"' in content
        assert status.meaning in content


def test_the_slipped_questions_are_in_the_page_without_javascript(client, officer, recommendation):
    client.force_login(officer)
    content = client.get(url(recommendation)).content.decode()
    assert 'data-app-controls="conditional-slipped"' in content
    assert 'id="conditional-slipped"' in content
    assert "Revised target date" in content and "Reason for revising" in content


def test_it_records_the_update_with_its_author(client, officer, recommendation):
    client.force_login(officer)

    response = client.post(url(recommendation), form_data(), follow=True)

    update = ProgressUpdate.objects.get()
    assert (update.recommendation, update.author, update.as_at) == (
        recommendation,
        officer,
        D(2025, 3, 7),
    )
    assert (update.status, update.narrative) == (Status.ON_TRACK, "The task group has met twice.")
    assert response.redirect_chain == [(f"/recommendations/{recommendation.pk}/", 302)]
    content = response.content.decode()
    assert "Progress update added" in content
    assert "The task group has met twice." in content
    recommendation.refresh_from_db()
    assert recommendation.version == 1  # nothing on the recommendation changed
    assert recommendation.history.count() == 1


def test_a_slipped_update_revises_the_target_date_once_accepted(
    client, officer, clerk, recommendation
):
    client.force_login(officer)

    client.post(url(recommendation), slipped())

    recommendation.refresh_from_db()
    assert recommendation.revised_target_date is None  # held on the submitted update
    assert recommendation.version == 1
    page = client.get(recommendation.get_absolute_url()).content.decode()
    assert "Revised target date proposed: 31 July 2025" in page

    ProgressUpdate.objects.get().accept(by=clerk)
    recommendation.refresh_from_db()
    assert recommendation.revised_target_date == D(2025, 7, 31)
    assert recommendation.revision_reason == "The university has not replied."
    assert recommendation.version == 2
    assert ProgressUpdate.objects.get().status == Status.SLIPPED
    change = recommendation.history.first()
    assert change.history_user == officer
    delta = change.diff_against(change.prev_record)
    assert set(delta.changed_fields) == {"revised_target_date", "revision_reason", "version"}


def test_the_slipped_questions_are_ignored_for_another_status(client, officer, recommendation):
    client.force_login(officer)
    client.post(url(recommendation), slipped(status=Status.ON_TRACK))
    recommendation.refresh_from_db()
    assert recommendation.revised_target_date is None
    assert recommendation.revision_reason == ""
    assert ProgressUpdate.objects.get().status == Status.ON_TRACK


@pytest.mark.parametrize(
    ("changes", "field_id", "message"),
    [
        (
            {"as_at_day": "", "as_at_month": "", "as_at_year": ""},
            "id_as_at_day",
            "Enter the date this update speaks for",
        ),
        ({"as_at_day": "31", "as_at_month": "2"}, "id_as_at_day", "Date must be a real date"),
        ({"as_at_month": "13"}, "id_as_at_day", "Date must be a real date"),
        ({"as_at_month": ""}, "id_as_at_day", "Date must include a month"),
        ({"as_at_day": "x"}, "id_as_at_day", "Date must be a real date"),
        ({"as_at_year": "25"}, "id_as_at_day", "Year must include 4 numbers"),
        ({"as_at_day": "11"}, "id_as_at_day", "Date must be today or in the past"),
        ({"status": ""}, "id_status_0", "Select the status of the recommendation"),
        ({"status": "greenish"}, "id_status_0", "Select one of the statuses listed"),
        ({"narrative": "   "}, "id_narrative", "Enter the progress update"),
        (
            {"narrative": "x" * 10_001},
            "id_narrative",
            "Progress update must be 10,000 characters or fewer",
        ),
    ],
)
def test_bad_input_is_explained_and_changes_nothing(
    client, officer, recommendation, changes, field_id, message
):
    client.force_login(officer)

    response = client.post(url(recommendation), form_data(**changes))

    assert response.status_code == 200
    content = response.content.decode()
    assert "There is a problem" in content
    assert f'<a href="#{field_id}">{message}</a>' in content
    assert f'<span class="govuk-visually-hidden">Error:</span> {message}' in content
    assert content.startswith("<!DOCTYPE html>") and "<title>Error: " in content
    assert not ProgressUpdate.objects.exists()
    recommendation.refresh_from_db()
    assert recommendation.version == 1


@pytest.mark.parametrize(
    ("changes", "field_id", "message"),
    [
        (
            {
                "revised_target_date_day": "",
                "revised_target_date_month": "",
                "revised_target_date_year": "",
            },
            "id_revised_target_date_day",
            "Enter the revised target date",
        ),
        (
            {"revised_target_date_day": "32"},
            "id_revised_target_date_day",
            "Revised target date must be a real date",
        ),
        (
            {"revised_target_date_month": "1"},
            "id_revised_target_date_day",
            "Revised target date must be on or after the date of the update",
        ),
        (
            {"revision_reason": " "},
            "id_revision_reason",
            "Enter the reason for revising the target date",
        ),
        (
            {"revision_reason": "x" * 10_001},
            "id_revision_reason",
            "Reason for revising must be 10,000 characters or fewer",
        ),
    ],
)
def test_slipped_needs_a_revised_date_and_a_reason(
    client, officer, recommendation, changes, field_id, message
):
    client.force_login(officer)

    response = client.post(url(recommendation), slipped(**changes))

    content = response.content.decode()
    assert f'<a href="#{field_id}">{message}</a>' in content
    # The reveal stays open, so the question with the error is visible.
    assert 'class="govuk-radios__conditional" id="conditional-slipped"' in content
    assert not ProgressUpdate.objects.exists()
    assert Recommendation.objects.get().revised_target_date is None


def test_what_was_typed_is_kept_and_shown_escaped(client, officer, recommendation):
    client.force_login(officer)
    typed = "<script>alert('x')</script> & more"
    content = client.post(url(recommendation), form_data(status="", narrative=typed)).content
    content = content.decode()
    assert "<script>alert('x')</script>" not in content
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; more</textarea>" in content


def test_a_saved_narrative_is_shown_escaped(client, officer, recommendation):
    client.force_login(officer)
    response = client.post(url(recommendation), form_data(narrative="<b>done</b>"), follow=True)
    content = response.content.decode()
    assert "<b>done</b>" not in content
    assert "&lt;b&gt;done&lt;/b&gt;" in content
    assert ProgressUpdate.objects.get().narrative == "<b>done</b>"


def test_it_rejects_other_methods(client, officer, recommendation):
    client.force_login(officer)
    assert client.put(url(recommendation)).status_code == 405
    assert client.delete(url(recommendation)).status_code == 405

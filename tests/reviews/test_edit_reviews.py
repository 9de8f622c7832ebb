import datetime

import pytest

from reviews.models import Review
from tests.factories import make_committee, make_recommendation, make_review, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def committee(db):
    return make_committee("Safer and Stronger Communities")


def form_data(committee, /, **changes) -> dict:
    return {
        "version": "1",
        "committee": str(committee.pk),
        "title": "Review of cybercrime",
        "chaired_by": "Cllr H Liddle",
        "municipal_year": "2017/18",
        "report_to_executive_date_day": "13",
        "report_to_executive_date_month": "6",
        "report_to_executive_date_year": "2018",
        "status": Review.Status.AWAITING_RESPONSE,
        **changes,
    }


def test_the_clerk_adds_a_review(client, clerk, committee):
    client.force_login(clerk)

    response = client.post("/reviews/add/", form_data(committee), follow=True)

    review = Review.objects.get()
    assert (review.title, review.committee, review.municipal_year) == (
        "Review of cybercrime",
        committee,
        "2017/18",
    )
    assert review.report_to_executive_date == datetime.date(2018, 6, 13)
    assert review.version == 1
    assert review.history.get().history_user == clerk
    assert response.redirect_chain == [(f"/reviews/{review.pk}/", 302)]
    assert "Review “Review of cybercrime” added" in response.content.decode()


def test_the_clerk_edits_a_review_in_one_history_row(client, clerk, committee):
    review = make_review("Review of cybercrime", committee=committee)
    client.force_login(clerk)

    response = client.post(f"/reviews/{review.pk}/edit/", form_data(committee, status="closed"))

    assert response.status_code == 302
    review.refresh_from_db()
    assert (review.status, review.version) == ("closed", 2)
    assert review.history.count() == 2
    assert review.history.first().history_user == clerk


def test_an_edit_against_a_newer_version_is_refused_and_keeps_what_was_typed(
    client, clerk, committee
):
    review = make_review("Review of cybercrime", committee=committee)
    other = make_user("clerk2", role="Scrutiny officer", first_name="Kit", last_name="Clerk")
    client.force_login(other)
    client.post(f"/reviews/{review.pk}/edit/", form_data(committee, chaired_by="Cllr Their Name"))
    client.force_login(clerk)

    response = client.post(
        f"/reviews/{review.pk}/edit/", form_data(committee, chaired_by="Cllr My Name")
    )

    assert response.status_code == 409
    content = response.content.decode()
    assert "Kit Clerk saved a newer version" in content
    assert ">Cllr Their Name</td>" in content and ">Cllr My Name</td>" in content
    assert 'name="chaired_by" value="Cllr My Name"' in content
    review.refresh_from_db()
    assert review.chaired_by == "Cllr Their Name"
    assert review.history.count() == 2


@pytest.mark.parametrize(
    ("changes", "field_id", "message"),
    [
        ({"title": ""}, "id_title", "Enter the title of the review"),
        ({"title": "x" * 301}, "id_title", "Title must be 300 characters or fewer"),
        ({"title": "Taken"}, "id_title", "There is already a review with this title"),
        ({"committee": "999999"}, "id_committee", "Select a committee from the list"),
        ({"committee": ""}, "id_committee", "Select the committee"),
        (
            {"municipal_year": "2017/19"},
            "id_municipal_year",
            "Enter the municipal year like 2017/18",
        ),
        ({"municipal_year": "17/18"}, "id_municipal_year", "Enter the municipal year like 2017/18"),
        (
            {"report_to_executive_date_day": "31", "report_to_executive_date_month": "4"},
            "id_report_to_executive_date_day",
            "Report to executive must be a real date",
        ),
        ({"status": "abandoned"}, "id_status_0", "Select a status from the list"),
        ({"version": "x"}, None, "This form is out of date or was changed before it was sent"),
    ],
)
def test_bad_input_is_explained_and_changes_nothing(
    client, clerk, committee, changes, field_id, message
):
    make_review("Taken", committee=committee)
    review = make_review("Review of cybercrime", committee=committee)
    client.force_login(clerk)

    response = client.post(f"/reviews/{review.pk}/edit/", form_data(committee, **changes))

    assert response.status_code == 200
    content = response.content.decode()
    assert "There is a problem" in content
    if field_id:
        assert f'<a href="#{field_id}">{message}</a>' in content
    else:
        assert f"<li>{message}" in content
    review.refresh_from_db()
    assert (review.title, review.version, review.history.count()) == ("Review of cybercrime", 1, 1)


def test_a_title_with_markup_is_shown_escaped(client, clerk, committee):
    client.force_login(clerk)
    response = client.post("/reviews/add/", form_data(committee, title="<i>Cyber</i>"), follow=True)
    content = response.content.decode()
    assert "<i>Cyber</i>" not in content
    assert "&lt;i&gt;Cyber&lt;/i&gt;" in content


def test_an_admin_edit_then_a_form_opened_before_it_shows_the_conflict_page(
    client, clerk, administrator, committee
):
    review = make_review("Review of cybercrime", committee=committee)
    client.force_login(clerk)
    opened = client.get(f"/reviews/{review.pk}/edit/")
    assert 'name="version" value="1"' in opened.content.decode()

    client.force_login(administrator)
    saved = client.post(
        f"/admin/reviews/review/{review.pk}/change/",
        {
            "committee": committee.pk,
            "title": "Review of cybercrime",
            "chaired_by": "Cllr Admin",
            "municipal_year": "",
            "report_to_executive_date": "",
            "status": "in_progress",
            "recommendations-TOTAL_FORMS": "0",
            "recommendations-INITIAL_FORMS": "0",
            "_save": "Save",
        },
    )
    assert saved.status_code == 302
    review.refresh_from_db()
    assert review.version == 2

    client.force_login(clerk)
    response = client.post(
        f"/reviews/{review.pk}/edit/", form_data(committee, chaired_by="Cllr Stale Form")
    )

    assert response.status_code == 409
    assert ">Cllr Admin</td>" in response.content.decode()
    review.refresh_from_db()
    assert review.chaired_by == "Cllr Admin"


def test_an_admin_edit_of_a_recommendation_inline_bumps_its_version(
    client, administrator, committee
):
    review = make_review("Review of cybercrime", committee=committee)
    recommendation = make_recommendation("1", review=review, text="Old words.")
    client.force_login(administrator)
    saved = client.post(
        f"/admin/reviews/review/{review.pk}/change/",
        {
            "committee": committee.pk,
            "title": "Review of cybercrime",
            "chaired_by": "",
            "municipal_year": "",
            "report_to_executive_date": "",
            "status": "in_progress",
            "recommendations-TOTAL_FORMS": "1",
            "recommendations-INITIAL_FORMS": "1",
            "recommendations-0-id": recommendation.pk,
            "recommendations-0-review": review.pk,
            "recommendations-0-number": "1",
            "recommendations-0-text": "New words.",
            "recommendations-0-response": "awaiting",
            "recommendations-0-target_date": "",
            "_save": "Save",
        },
    )
    assert saved.status_code == 302
    recommendation.refresh_from_db()
    assert (recommendation.text, recommendation.version) == ("New words.", 2)

"""axe-core (WCAG 2.0, 2.1 and 2.2, A and AA) on every page of the register, with and without errors.

Forms are checked empty, after a submission with errors (error summary and field errors), and the
edit forms after someone else saved first (the conflict page).
"""

from django.utils import timezone
from playwright.sync_api import expect

from recommendations.models import Recommendation
from reviews.models import Meeting, Review, User
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import bulk_recommendations


def demo_review() -> Review:
    return Review.objects.get(title__contains="Cybercrime")


def demo_recommendation(number: str) -> Recommendation:
    return Recommendation.objects.get(review=demo_review(), number=number)


def check(page, path: str, heading: str | None = None) -> None:
    page.goto(f"{page.base_url}{path}")
    if heading:
        expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
    assert_accessible(page)


def submit_with_errors(page, button: str) -> None:
    page.get_by_role("button", name=button).click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("There is a problem")
    assert_accessible(page)


def test_the_reading_pages_are_accessible(page, demo):
    review, recommendation = demo_review(), demo_recommendation("3")
    sign_in(page, "councillor")
    check(page, "/reviews/", "Reviews")
    check(page, f"/reviews/{review.pk}/", review.title)
    check(page, f"/reviews/{review.pk}/history/", "History of")
    check(page, f"/recommendations/{recommendation.pk}/", "Recommendation 3")
    check(page, f"/recommendations/{recommendation.pk}/history/", "History of recommendation 3")
    check(page, f"/recommendations/{recommendation.pk}/edit/", "You cannot do this")
    check(page, "/recommendations/999999/", "Page not found")


def test_the_officers_pages_are_accessible_with_and_without_errors(page, demo):
    recommendation = demo_recommendation("2")
    sign_in(page, "officer")
    check(page, "/recommendations/mine/", "My recommendations")
    check(
        page, f"/recommendations/{recommendation.pk}/progress-updates/add/", "Add progress update"
    )
    # Every field wrong at once, the Slipped questions open and in error too.
    page.get_by_role("group", name="Date").get_by_label("Day").fill("31")
    page.get_by_role("group", name="Date").get_by_label("Month").fill("2")
    page.get_by_label("Slipped").check()
    submit_with_errors(page, "Add progress update")
    expect(page.get_by_role("link", name="Enter the revised target date")).to_be_visible()
    expect(page.get_by_role("link", name="Date must be a real date")).to_be_visible()


def test_my_recommendations_is_accessible_over_several_pages(page, demo):
    officer = User.objects.get(username="officer")
    made = bulk_recommendations(120, reviews=3, today=timezone.localdate(), author=officer)
    Recommendation.objects.filter(pk__in=[r.pk for r in made]).update(
        lead_organisation=officer.organisation
    )
    sign_in(page, "officer")
    check(page, "/recommendations/mine/", "My recommendations")
    page.get_by_role("link", name="Next page").click()
    expect(page.get_by_role("link", name="Page 2")).to_have_attribute("aria-current", "page")
    assert_accessible(page)


def test_the_clerks_forms_are_accessible_empty_with_errors_and_in_conflict(page, demo):
    review, recommendation = demo_review(), demo_recommendation("4")
    sign_in(page, "clerk")

    check(page, "/reviews/add/", "Add review")
    submit_with_errors(page, "Add review")

    check(page, f"/reviews/{review.pk}/edit/", "Edit review")
    page.get_by_label("Title").fill("")
    submit_with_errors(page, "Save review")

    check(page, f"/reviews/{review.pk}/recommendations/add/", "Add recommendation")
    submit_with_errors(page, "Add recommendation")

    check(page, f"/recommendations/{recommendation.pk}/edit/", "Edit recommendation 4")
    page.get_by_label("Recommendation", exact=True).fill("")
    submit_with_errors(page, "Save recommendation")

    check(page, f"/recommendations/{recommendation.pk}/close/", "Record closure")
    submit_with_errors(page, "Record closure")

    # Someone else saves while the form is open: the conflict page.
    check(page, f"/recommendations/{recommendation.pk}/edit/", "Edit recommendation 4")
    page.get_by_label("Recommendation", exact=True).fill("My wording of recommendation 4.")
    other = Recommendation.objects.get(pk=recommendation.pk)
    other.text = "Their wording of recommendation 4."
    other.version += 1
    other.save()
    page.get_by_role("button", name="Save recommendation").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Someone else changed this while you were editing it"
    )
    expect(page.get_by_label("Recommendation", exact=True)).to_have_value(
        "My wording of recommendation 4."
    )
    assert_accessible(page)

    check(page, f"/reviews/{review.pk}/edit/", "Edit review")
    other_review = Review.objects.get(pk=review.pk)
    other_review.chaired_by = "Cllr Somebody Else"
    other_review.version += 1
    other_review.save()
    page.get_by_label("Chaired by").fill("Cllr Me")
    page.get_by_role("button", name="Save review").click()
    expect(page.locator(".app-conflict")).to_contain_text("Cllr Somebody Else")
    assert_accessible(page)


def test_the_committee_and_meeting_pages_are_accessible(page, demo):
    committee = demo_review().committee
    meeting = Meeting.objects.filter(committee=committee).order_by("date").first()
    sign_in(page, "councillor")
    check(page, "/committees/", "Committees")
    check(page, f"/committees/{committee.pk}/", committee.name)
    check(page, f"/meetings/{meeting.pk}/", "Meeting of")
    check(page, f"/meetings/{meeting.pk}/history/", "History of the meeting")


def test_the_meeting_forms_are_accessible_empty_with_errors_and_in_conflict(page, demo):
    committee = demo_review().committee
    meeting = Meeting.objects.filter(committee=committee).order_by("date").first()
    item = meeting.work_programme_items.first()
    sign_in(page, "clerk")

    check(page, f"/committees/{committee.pk}/meetings/add/", "Add a meeting")
    submit_with_errors(page, "Add meeting")

    check(page, f"/meetings/{meeting.pk}/work-programme/add/", "Add an item")
    page.get_by_label("Progress report").check()
    submit_with_errors(page, "Add item")

    check(page, f"/work-programme/{item.pk}/edit/", "Edit work programme item")
    check(page, f"/work-programme/{item.pk}/remove/", "Remove this item")

    check(page, f"/meetings/{meeting.pk}/edit/", "Edit meeting")
    page.get_by_role("group", name="Date").get_by_label("Day").fill("")
    submit_with_errors(page, "Save meeting")

    check(page, f"/meetings/{meeting.pk}/edit/", "Edit meeting")
    other = Meeting.objects.get(pk=meeting.pk)
    other.title = "Their title"
    other.version += 1
    other.save()
    page.get_by_label("Title (optional)").fill("My title")
    page.get_by_role("button", name="Save meeting").click()
    expect(page.locator(".app-conflict")).to_contain_text("Their title")
    assert_accessible(page)


def test_the_lock_out_page_is_accessible(page, demo):
    for _ in range(5):
        sign_in(page, "councillor", "wrong")
    expect(page.get_by_role("heading", name="Sign-in locked for 15 minutes")).to_be_visible()
    assert_accessible(page)


def test_the_preparing_and_importing_pages_are_accessible_in_every_state(page, demo):
    from recommendations.models import ImportJob, PdfJob
    from reviews.models import User

    review = demo_review()
    clerk = User.objects.get(username="clerk")
    sign_in(page, "clerk")
    for status, heading in (
        (PdfJob.Status.QUEUED, "Preparing the PDF"),
        (PdfJob.Status.READY, "Preparing the PDF"),
        (PdfJob.Status.FAILED, "Preparing the PDF"),
    ):
        job = PdfJob.objects.create(kind=PdfJob.Kind.DOWNLOAD, review=review, status=status)
        check(page, f"/pdf-jobs/{job.pk}/", heading)
    publishing = PdfJob.objects.create(
        kind=PdfJob.Kind.PUBLISH, review=review, status=PdfJob.Status.RUNNING, requested_by=clerk
    )
    check(page, f"/pdf-jobs/{publishing.pk}/", "Publishing the appendix")
    for status, heading in (
        (ImportJob.Status.RUNNING, "Importing the file"),
        (ImportJob.Status.DONE, "Imported"),
        (ImportJob.Status.FAILED, "Nothing was imported"),
    ):
        job = ImportJob.objects.create(
            status=status,
            file_name="tracker.csv",
            upload_name="x.upload",
            sha256="0" * 64,
            plan_fingerprint="0" * 64,
            rows=3000,
            requested_by=clerk,
            summary="Created 1 review, 3,000 recommendations, 0 progress updates; updated 0; "
            "unchanged 0",
            error="The register changed after the preview, so nothing was imported.",
        )
        check(page, f"/trackers/imports/{job.pk}/", heading)

"""The roles table of docs/domain.md, URL by URL: every page of the app, GET and POST, for each persona.

A refused request changes nothing, and an allowed POST with nothing filled in only shows the form's
errors: the fingerprint of the database is the same before and after every request here.
"""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from recommendations.appendix import build_appendix, publish_appendix
from recommendations.appendix.tasks import request_download
from recommendations.models import (
    Email,
    Evidence,
    ImportJob,
    PdfJob,
    ProgressUpdate,
    PublishedAppendix,
    Recommendation,
    UpdateDecision,
    UpdateRequest,
)
from recommendations.models.evidence import add_evidence
from recommendations.requests.asking import plan_request, send_request
from reviews.models import Meeting, Review, WorkProgrammeItem
from tests.factories import make_progress_report_item, make_update

pytestmark = pytest.mark.django_db

SIGNED_OUT = "signed_out"
ROLES = [SIGNED_OUT, "councillor", "officer", "outsider_officer", "clerk", "administrator"]
SIGNED_IN = ROLES[1:]

LOGIN = "redirect to sign-in"  # 302 to /sign-in/?next=…
ANY_PAGE = frozenset({200, 302})  # a page, or a redirect to one other than sign-in


def everyone(status, signed_out=LOGIN):
    return {SIGNED_OUT: signed_out, **dict.fromkeys(SIGNED_IN, status)}


def only(allowed: set[str], status, refused=403):
    return {
        SIGNED_OUT: LOGIN,
        **{role: status if role in allowed else refused for role in SIGNED_IN},
    }


UPDATERS = {
    "officer",
    "clerk",
    "administrator",
}  # the recommendation is led by `officer`'s organisation
EDITORS = {"clerk", "administrator"}
OFFICERS = {
    "officer",
    "outsider_officer",
    "clerk",
    "administrator",
}  # may add progress updates somewhere

# path, expected for GET, expected for POST (with an empty form)
PAGES = [
    ("/sign-in/", everyone(302, signed_out=200), everyone(302, signed_out=200)),
    ("/sign-out/", everyone(405), everyone(302)),
    ("/", everyone(200), everyone(405)),
    ("/register/", everyone(200), everyone(405)),
    ("/register/tracker.csv", everyone(200), everyone(405)),
    ("/register/tracker.xlsx", everyone(200), everyone(405)),
    ("/reviews/", everyone(200), everyone(405)),
    ("/reviews/add/", only(EDITORS, 200), only(EDITORS, 200)),
    ("/reviews/{review}/", everyone(200), everyone(405)),
    ("/reviews/{review}/history/", everyone(200), everyone(405)),
    ("/reviews/{review}/edit/", only(EDITORS, 200), only(EDITORS, 200)),
    ("/reviews/{review}/public/", everyone(405), only(EDITORS, 302)),
    ("/reviews/{review}/recommendations/add/", only(EDITORS, 200), only(EDITORS, 200)),
    ("/recommendations/mine/", only(OFFICERS, 200), everyone(405)),
    ("/recommendations/{recommendation}/", everyone(200), everyone(405)),
    ("/recommendations/{recommendation}/history/", everyone(200), everyone(405)),
    (
        "/recommendations/{recommendation}/progress-updates/add/",
        only(UPDATERS, 200),
        only(UPDATERS, 200),
    ),
    ("/recommendations/{recommendation}/edit/", only(EDITORS, 200), only(EDITORS, 200)),
    ("/recommendations/{recommendation}/close/", only(EDITORS, 200), only(EDITORS, 200)),
    ("/reviews/{review}/progress-report/", everyone(200), everyone(405)),
    ("/reviews/{review}/progress-report/pdf/", everyone(200), everyone(405)),
    ("/reviews/{review}/progress-report/publish/", everyone(405), only(EDITORS, 400)),
    ("/committees/", everyone(200), everyone(405)),
    ("/committees/{committee}/", everyone(200), everyone(405)),
    ("/committees/{committee}/meetings/add/", only(EDITORS, 200), only(EDITORS, 200)),
    ("/meetings/{meeting}/", everyone(200), everyone(405)),
    ("/meetings/{meeting}/edit/", only(EDITORS, 200), only(EDITORS, 200)),
    ("/meetings/{meeting}/history/", everyone(200), everyone(405)),
    ("/meetings/{meeting}/work-programme/add/", only(EDITORS, 200), only(EDITORS, 200)),
    ("/work-programme/{item}/edit/", only(EDITORS, 200), only(EDITORS, 200)),
    ("/work-programme/{item}/remove/", only(EDITORS, 200), only(EDITORS, 200)),
    ("/pdf-jobs/{pdf_job}/", everyone(200), everyone(405)),
    ("/pdf-jobs/{pdf_job}/file/", everyone(200), everyone(405)),
    ("/pdf-jobs/{publish_job}/", only(EDITORS, 200), everyone(405)),
    ("/published-appendices/{published}/pdf/", everyone(200), everyone(405)),
    ("/published-appendices/{published}/html/", everyone(200), everyone(405)),
    ("/reviews/{review}/tracker.csv", everyone(200), everyone(405)),
    ("/reviews/{review}/tracker.xlsx", everyone(200), everyone(405)),
    ("/trackers/import/", only(EDITORS, 200), only(EDITORS, 200)),
    ("/trackers/import/no-such-upload/confirm/", everyone(405), only(EDITORS, ANY_PAGE)),
    ("/trackers/imports/{import_job}/", only(EDITORS, 200), everyone(405)),
    ("/update-requests/ask/", only(EDITORS, 200), only(EDITORS, 200)),
    ("/update-requests/{update_request}/", only(EDITORS, 200), everyone(405)),
    ("/update-requests/{update_request}/reminders/", everyone(405), only(EDITORS, 302)),
    ("/updates/to-check/", only(EDITORS, 200), everyone(405)),
    ("/updates/{update}/decide/", everyone(405), only(EDITORS, 200)),
    # Evidence on `officer`'s submitted update: its author and those who check it; 404 for others.
    (
        "/evidence/{evidence}/",
        only({"officer", "clerk", "administrator"}, 200, refused=404),
        everyone(405),
    ),
]

CASES = [
    pytest.param(path, method, role, expected[role], id=f"{method} {path} as {role}")
    for path, get_expected, post_expected in PAGES
    for method, expected in (("GET", get_expected), ("POST", post_expected))
    for role in ROLES
]


def fingerprint() -> dict:
    return {
        "reviews": Review.objects.count(),
        "review history": Review.history.count(),
        "recommendations": Recommendation.objects.count(),
        "recommendation history": Recommendation.history.count(),
        "progress updates": ProgressUpdate.objects.count(),
        "published appendices": PublishedAppendix.objects.count(),
        "meetings": Meeting.objects.count(),
        "meeting history": Meeting.history.count(),
        "work programme items": WorkProgrammeItem.objects.count(),
        "work programme item history": WorkProgrammeItem.history.count(),
        "update requests": UpdateRequest.objects.count(),
        "emails": Email.objects.count(),
        "emails sent": Email.objects.filter(sent_at__isnull=False).count(),
        "decisions": UpdateDecision.objects.count(),
        "evidence": Evidence.objects.count(),
    }


@pytest.fixture
def published(review, meeting, clerk):
    return publish_appendix(review, meeting=meeting, as_at=meeting.date, user=clerk)


@pytest.fixture
def pdf_job(review):
    """A download whose PDF the worker has made."""
    appendix = build_appendix(review, datetime.date.today())
    return request_download(appendix)


@pytest.fixture
def publish_job(review, meeting, clerk):
    """A publish waiting for the worker."""
    return PdfJob.objects.create(
        kind=PdfJob.Kind.PUBLISH,
        review=review,
        meeting=meeting,
        as_at=meeting.date,
        number=2,
        requested_by=clerk,
    )


@pytest.fixture
def import_job(clerk):
    """A large upload the worker has imported."""
    return ImportJob.objects.create(
        status=ImportJob.Status.DONE,
        file_name="tracker.csv",
        upload_name="gone.upload",
        sha256="0" * 64,
        plan_fingerprint="0" * 64,
        rows=3000,
        requested_by=clerk,
        summary="Created 0 reviews, 0 recommendations, 0 progress updates; updated 0; unchanged 0",
    )


@pytest.fixture
def item(review, meeting):
    return make_progress_report_item(review=review, meeting=meeting)


@pytest.fixture
def update_request(review, meeting, recommendation, clerk, officer):
    """A request to `officer` about `recommendation`, already emailed today."""
    officer.email = "officer@example.org"
    officer.save()
    return send_request(plan_request(meeting, [review], meeting.date), requested_by=clerk)


@pytest.fixture
def update(recommendation, officer):
    """`officer`'s update on `recommendation`, submitted and waiting to be checked."""
    return make_update(
        recommendation, as_at=datetime.date(2019, 1, 7), author=officer, accepted=False
    )


@pytest.fixture
def evidence(update):
    return add_evidence(
        update, SimpleUploadedFile("Minutes.pdf", b"%PDF-1.4\n%%EOF\n"), "application/pdf"
    )


@pytest.mark.parametrize(("path", "method", "role", "expected"), CASES)
def test_access(request, client, review, recommendation, meeting, path, method, role, expected):
    if role != SIGNED_OUT:
        client.force_login(request.getfixturevalue(role))
    url = path.format(
        review=review.pk,
        recommendation=recommendation.pk,
        meeting=meeting.pk,
        committee=review.committee_id,
        item=request.getfixturevalue("item").pk if "{item}" in path else 0,
        published=request.getfixturevalue("published").pk if "{published}" in path else 0,
        import_job=request.getfixturevalue("import_job").pk if "{import_job}" in path else 0,
        pdf_job=request.getfixturevalue("pdf_job").pk if "{pdf_job}" in path else 0,
        publish_job=request.getfixturevalue("publish_job").pk if "{publish_job}" in path else 0,
        update_request=(
            request.getfixturevalue("update_request").pk if "{update_request}" in path else 0
        ),
        update=request.getfixturevalue("update").pk if "{update}" in path else 0,
        evidence=request.getfixturevalue("evidence").pk if "{evidence}" in path else 0,
    )
    before = fingerprint()

    response = client.get(url) if method == "GET" else client.post(url, {})

    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith("/sign-in/?next=")
    elif isinstance(expected, frozenset):
        assert response.status_code in expected
        assert not response.get("Location", "").startswith("/sign-in/")
    else:
        assert response.status_code == expected
    if response.status_code == 403:
        assert b"You cannot do this" in response.content
    if response.status_code == 200 and method == "POST" and path != "/sign-in/":
        assert b"There is a problem" in response.content
    assert fingerprint() == before


def test_a_signed_in_user_with_no_role_reads_nothing(client, review, recommendation, meeting):
    from tests.factories import make_user

    client.force_login(make_user("nobody"))
    for url in [
        "/",
        "/register/",
        f"/reviews/{review.pk}/progress-report/",
        f"/reviews/{review.pk}/tracker.csv",
        "/reviews/",
        f"/reviews/{review.pk}/",
        f"/reviews/{review.pk}/history/",
        f"/recommendations/{recommendation.pk}/",
        f"/recommendations/{recommendation.pk}/history/",
        "/recommendations/mine/",
        f"/recommendations/{recommendation.pk}/progress-updates/add/",
        "/committees/",
        f"/committees/{review.committee_id}/",
        f"/committees/{review.committee_id}/meetings/add/",
        f"/meetings/{meeting.pk}/",
        f"/meetings/{meeting.pk}/history/",
        f"/meetings/{meeting.pk}/edit/",
    ]:
        assert client.get(url).status_code == 403, url


@pytest.mark.parametrize("role", ["councillor", "officer", "clerk"])
@pytest.mark.parametrize(
    "path",
    [
        "/reviews/999999/",
        "/reviews/999999/history/",
        "/reviews/999999/edit/",
        "/reviews/999999/recommendations/add/",
        "/recommendations/999999/",
        "/recommendations/999999/history/",
        "/recommendations/999999/progress-updates/add/",
        "/recommendations/999999/edit/",
        "/recommendations/999999/close/",
        "/committees/999999/",
        "/committees/999999/meetings/add/",
        "/meetings/999999/",
        "/meetings/999999/edit/",
        "/meetings/999999/history/",
        "/meetings/999999/work-programme/add/",
        "/work-programme/999999/edit/",
        "/work-programme/999999/remove/",
        "/update-requests/999999/",
        "/evidence/999999/",
    ],
)
def test_a_record_that_does_not_exist_is_not_found(request, client, role, path):
    client.force_login(request.getfixturevalue(role))
    response = client.get(path)
    assert response.status_code == 404
    assert b"Page not found" in response.content


def test_a_closed_recommendation_takes_no_updates_even_from_its_officer(
    client, officer, clerk, recommendation, meeting
):
    recommendation.close(meeting=meeting, how="implemented", user=clerk)
    for user in (officer, clerk):
        client.force_login(user)
        url = f"/recommendations/{recommendation.pk}/progress-updates/add/"
        assert client.get(url).status_code == 403
        assert client.post(url, {}).status_code == 403
        page = client.get(f"/recommendations/{recommendation.pk}/")
        assert b"Add progress update" not in page.content


def test_an_officer_of_a_partner_organisation_may_update(
    client, outsider_officer, other_organisation, recommendation
):
    recommendation.partners.add(other_organisation)
    client.force_login(outsider_officer)
    assert (
        client.get(f"/recommendations/{recommendation.pk}/progress-updates/add/").status_code == 200
    )


def test_the_lead_officer_may_update_whatever_their_organisation(
    client, outsider_officer, recommendation
):
    recommendation.lead_officer = outsider_officer
    recommendation.save()
    client.force_login(outsider_officer)
    assert (
        client.get(f"/recommendations/{recommendation.pk}/progress-updates/add/").status_code == 200
    )


@pytest.mark.parametrize(
    ("role", "sees_add", "sees_edit"),
    [
        ("councillor", False, False),
        ("officer", True, False),
        ("outsider_officer", False, False),
        ("clerk", True, True),
    ],
)
def test_the_recommendation_page_offers_only_what_the_user_may_do(
    request, client, recommendation, role, sees_add, sees_edit
):
    client.force_login(request.getfixturevalue(role))
    content = client.get(f"/recommendations/{recommendation.pk}/").content.decode()
    assert ("Add progress update" in content) is sees_add
    assert ("Edit recommendation" in content) is sees_edit
    assert ("Record closure" in content) is sees_edit


@pytest.mark.parametrize(("role", "sees"), [("councillor", False), ("clerk", True)])
def test_the_review_pages_offer_editing_only_to_the_clerk(request, client, review, role, sees):
    client.force_login(request.getfixturevalue(role))
    assert ("Edit review" in client.get(f"/reviews/{review.pk}/").content.decode()) is sees
    assert ("Add review" in client.get("/reviews/").content.decode()) is sees


@pytest.mark.parametrize(("role", "sees"), [("councillor", False), ("officer", True)])
def test_my_recommendations_is_in_the_navigation_of_those_who_update(request, client, role, sees):
    client.force_login(request.getfixturevalue(role))
    assert ("My recommendations" in client.get("/reviews/").content.decode()) is sees


# The public site and the open data: the same answer for everyone, signed out or in, for a public
# review; a 404 for the same review while it is private.
PUBLIC_PAGES = [
    "/public/",
    "/public/reviews/{review}/",
    "/public/recommendations/{recommendation}/",
    "/public/appendices/{published}/pdf/",
    "/public/search/?q=university",
    "/public/recommendations.csv",
    "/public/sitemap.xml",
    "/api/v1/",
    "/api/v1/schema/",
    "/api/v1/reviews/",
    "/api/v1/reviews/{review}/",
    "/api/v1/recommendations/",
    "/api/v1/recommendations/{recommendation}/",
    "/api/v1/appendices/",
    "/api/v1/appendices/{published}/",
]
NOT_WHILE_PRIVATE = [path for path in PUBLIC_PAGES if "{" in path]


def public_url(path, review, recommendation, published) -> str:
    return path.format(review=review.pk, recommendation=recommendation.pk, published=published.pk)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_the_public_pages_answer_everyone(
    request, client, review, recommendation, published, path, role
):
    review.is_public = True
    review.save()
    if role != SIGNED_OUT:
        client.force_login(request.getfixturevalue(role))
    url = public_url(path, review, recommendation, published)
    before = fingerprint()

    assert client.get(url).status_code == 200
    assert client.post(url, {}).status_code == 405
    assert fingerprint() == before


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path", NOT_WHILE_PRIVATE)
def test_the_public_pages_of_a_private_review_are_not_found(
    request, client, review, recommendation, published, path, role
):
    if role != SIGNED_OUT:
        client.force_login(request.getfixturevalue(role))

    response = client.get(public_url(path, review, recommendation, published))

    assert response.status_code == 404

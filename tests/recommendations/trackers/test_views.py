"""The import pages (upload, preview, confirm) and the review's tracker downloads."""

import datetime
import io
import re

import openpyxl
import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from recommendations.models import ProgressUpdate, Recommendation
from recommendations.trackers.uploads import KEEP_UPLOADS_FOR, MAX_PENDING_PER_SESSION
from recommendations.trackers.writing import write_csv
from reviews.models import Review
from tests.factories import (
    make_recommendation,
    make_review,
    make_update,
    make_user,
    tracker_csv,
    tracker_row,
)
from tests.recommendations.trackers.helpers import keep_uploads_in, xlsx_with_entity_bomb

pytestmark = pytest.mark.django_db

UPLOAD = "/trackers/import/"


@pytest.fixture(autouse=True)
def upload_storage(settings, tmp_path):
    """The "tracker_uploads" storage, in a folder of this test's own."""
    return keep_uploads_in(settings, tmp_path / "uploads")


@pytest.fixture
def clerk_client(client, clerk):
    client.force_login(clerk)
    return client


def good_file(name="tracker.csv"):
    return SimpleUploadedFile(
        name,
        tracker_csv(
            tracker_row(
                lead="Highways",
                update_date="2025-01-15",
                update_status="On track",
                update_text="Two crews hired.",
            ),
            tracker_row(number="2", recommendation="Map the potholes."),
        ),
    )


def upload(client, file):
    return client.post(UPLOAD, {"file": file})


def token_of(response) -> str:
    assert response.status_code == 302, response.content.decode()[:2000]
    match = re.fullmatch(r"/trackers/import/([\w-]+)/", response["Location"])
    assert match, response["Location"]
    return match.group(1)


def fingerprint_of(page) -> str:
    return re.search(r'name="fingerprint" value="(\w+)"', page.content.decode()).group(1)


# --- Access ----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["councillor", "officer"])
def test_only_those_who_may_import_reach_the_import_pages(client, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(UPLOAD).status_code == 403
    assert upload(client, good_file()).status_code == 403
    assert client.get("/trackers/import/abc/").status_code == 403
    assert client.post("/trackers/import/abc/confirm/").status_code == 403
    assert not Review.objects.exists()


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get(UPLOAD)
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


def test_the_nav_shows_import_to_the_clerk_and_not_to_a_councillor(client, clerk, councillor):
    client.force_login(clerk)
    assert "Import a tracker" in client.get("/reviews/").content.decode()
    client.force_login(councillor)
    assert "Import a tracker" not in client.get("/reviews/").content.decode()


def test_an_administrator_may_import(client, administrator):
    client.force_login(administrator)
    assert client.get(UPLOAD).status_code == 200


# --- Upload, preview and confirm -------------------------------------------------------------


def test_the_upload_page_has_a_govuk_file_upload(clerk_client):
    page = clerk_client.get(UPLOAD).content.decode()
    assert '<h1 class="govuk-heading-l">Import a tracker</h1>' in page
    assert 'enctype="multipart/form-data"' in page
    assert 'class="govuk-file-upload"' in page


def test_a_good_file_is_previewed_then_imported_on_confirm(clerk_client, clerk):
    token = token_of(upload(clerk_client, good_file()))
    assert not Review.objects.exists()  # nothing until confirmed

    preview = clerk_client.get(f"/trackers/import/{token}/")
    page = preview.content.decode()
    assert preview.status_code == 200
    assert "Would create 1 review, 2 recommendations, 1 progress update" in page
    assert "Review of potholes" in page and "New review" in page
    assert "Map the potholes." in page
    assert "Two crews hired." in page
    assert "15 Jan 2025" in page  # the update's date, as the site shows dates
    assert "Highways" in page  # a new organisation
    assert "Confirm import" in page
    assert not Review.objects.exists()  # previewing changes nothing

    response = clerk_client.post(
        f"/trackers/import/{token}/confirm/", {"fingerprint": fingerprint_of(preview)}
    )
    assert response.status_code == 302
    assert response["Location"] == "/reviews/"
    review = Review.objects.get()
    assert review.history.get().history_user == clerk
    assert {r.history.get().history_user for r in review.recommendations.all()} == {clerk}
    assert ProgressUpdate.objects.get().author == clerk
    page = clerk_client.get(response["Location"]).content.decode()
    assert "Imported tracker.csv. Created 1 review, 2 recommendations, 1 progress update" in page

    # The kept file is gone: confirming again imports nothing more.
    again = clerk_client.post(
        f"/trackers/import/{token}/confirm/", {"fingerprint": fingerprint_of(preview)}
    )
    assert again["Location"] == UPLOAD
    assert Recommendation.objects.count() == 2


def test_the_preview_shows_changed_fields_old_and_new(clerk_client):
    review = make_review("Review of potholes")
    recommendation = make_recommendation("1", review=review, text="Fill the potholes.")
    make_update(recommendation, as_at=datetime.date(2025, 1, 15), narrative="Two crews hired.")
    file = SimpleUploadedFile(
        "tracker.csv",
        tracker_csv(
            tracker_row(
                recommendation="Fill every pothole.",
                target_date="2025-06-30",
                update_date="2025-01-15",
                update_status="On track",
                update_text="Two crews hired.",
            ),
        ),
    )
    page = clerk_client.get(f"/trackers/import/{token_of(upload(clerk_client, file))}/")
    text = page.content.decode()
    assert "Changed recommendations (1)" in text
    assert "Fill the potholes." in text and "Fill every pothole." in text
    assert "Target date" in text and "30 Jun 2025" in text
    assert "New progress updates" not in text


def test_a_file_with_problems_lists_each_with_row_and_column_and_imports_nothing(clerk_client):
    file = SimpleUploadedFile(
        "bad.csv",
        tracker_csv(
            tracker_row(update_date="2025-01-15", update_status="greenish", update_text="x"),
            tracker_row(number="2", target_date="31/02/2025"),
        ),
    )
    response = upload(clerk_client, file)
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Import a tracker" in page
    assert "There is a problem" in page
    assert "The file has 2 problems, listed below. Fix them and upload the file again" in page
    assert 'href="#id_file"' in page
    assert "Problems in bad.csv" in page
    assert "&#x27;greenish&#x27; is not a known status" in page
    assert "<code>update_status</code>" in page
    assert "&#x27;31/02/2025&#x27; is not a real date" in page
    assert not Review.objects.exists()


def test_a_file_level_problem_shows_on_the_field(clerk_client):
    response = upload(clerk_client, SimpleUploadedFile("tracker.csv", b"\xff\xfe r\x00e\x00"))
    page = response.content.decode()
    assert "The file is not" in page
    assert 'class="govuk-error-message"' in page
    assert "Problems in" not in page


def test_a_workbook_carrying_an_xml_entity_bomb_is_refused_on_the_page(clerk_client, tmp_path):
    bomb = SimpleUploadedFile("tracker.xlsx", xlsx_with_entity_bomb("xl/sharedStrings.xml"))
    response = upload(clerk_client, bomb)
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Import a tracker" in page
    assert 'class="govuk-error-message"' in page
    assert (
        "The file could not be read as an Excel workbook: part of it declares its own XML "
        "entities, which a workbook saved by Excel never does and which are refused for safety"
    ) in page
    assert not Review.objects.exists()
    assert not list(tmp_path.glob("uploads/*"))  # nothing kept for a preview


@pytest.mark.parametrize(
    ("file", "message"),
    [
        (None, "Select a CSV or XLSX file"),
        (SimpleUploadedFile("tracker.csv", b""), "The selected file is empty"),
        (SimpleUploadedFile("tracker.pdf", b"%PDF-1.7"), "The selected file must be a CSV or XLSX"),
    ],
)
def test_the_file_field_says_what_is_wrong(clerk_client, file, message):
    response = clerk_client.post(UPLOAD, {"file": file} if file else {})
    page = response.content.decode()
    assert message in page
    assert "govuk-file-upload--error" in page


def test_a_file_over_the_upload_limit_is_refused(clerk_client, settings):
    settings.TRACKER_MAX_UPLOAD_MB = 2
    big = SimpleUploadedFile("tracker.csv", b"review,number\n" + b" " * (2 * 1024 * 1024))
    page = upload(clerk_client, big).content.decode()
    assert "The selected file must be smaller than 2 MB" in page
    assert "up to 2 MB and 20,000 rows" in page


def test_the_upload_limit_is_fifty_megabytes_unless_set():
    from scrutiny import settings as project_settings

    assert project_settings.TRACKER_MAX_UPLOAD_MB == 50


def test_confirming_after_the_register_changed_shows_the_new_preview_instead(clerk_client):
    token = token_of(upload(clerk_client, good_file()))
    preview = clerk_client.get(f"/trackers/import/{token}/")
    # Someone else imports part of the same file meanwhile.
    review = make_review("Review of potholes")
    make_recommendation("2", review=review, text="Map the potholes.")
    response = clerk_client.post(
        f"/trackers/import/{token}/confirm/", {"fingerprint": fingerprint_of(preview)}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "The register changed after this preview was made" in page
    assert Recommendation.objects.count() == 1  # still only the other person's
    response = clerk_client.post(
        f"/trackers/import/{token}/confirm/", {"fingerprint": fingerprint_of(response)}
    )
    assert response.status_code == 302
    assert Recommendation.objects.count() == 2


def test_a_tampered_kept_file_is_not_imported(clerk_client, upload_storage):
    token = token_of(upload(clerk_client, good_file()))
    preview = clerk_client.get(f"/trackers/import/{token}/")
    upload_storage.delete(f"{token}.upload")
    upload_storage.save(f"{token}.upload", ContentFile(tracker_csv(tracker_row(review="Other"))))
    response = clerk_client.post(
        f"/trackers/import/{token}/confirm/", {"fingerprint": fingerprint_of(preview)}
    )
    assert response["Location"] == UPLOAD
    assert not Review.objects.exists()


def test_another_users_token_is_not_theirs_to_import(client, clerk):
    client.force_login(clerk)
    token = token_of(upload(client, good_file()))
    other = make_user("other_clerk", role="Scrutiny officer")
    client.force_login(other)  # a new session, which never saw the token
    assert client.get(f"/trackers/import/{token}/")["Location"] == UPLOAD
    assert client.post(f"/trackers/import/{token}/confirm/")["Location"] == UPLOAD
    assert not Review.objects.exists()


def test_the_kept_file_waits_in_the_tracker_uploads_storage_until_confirmed(
    clerk_client, upload_storage, tmp_path
):
    token = token_of(upload(clerk_client, good_file()))
    assert upload_storage.exists(f"{token}.upload")
    assert (tmp_path / "uploads" / f"{token}.upload").is_file()  # the overridden storage
    preview = clerk_client.get(f"/trackers/import/{token}/")
    clerk_client.post(
        f"/trackers/import/{token}/confirm/", {"fingerprint": fingerprint_of(preview)}
    )
    assert not upload_storage.exists(f"{token}.upload")


def test_uploads_work_on_a_storage_that_is_not_a_folder(clerk_client, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "tracker_uploads": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    token = token_of(upload(clerk_client, good_file()))
    assert storages["tracker_uploads"].exists(f"{token}.upload")
    preview = clerk_client.get(f"/trackers/import/{token}/")
    response = clerk_client.post(
        f"/trackers/import/{token}/confirm/", {"fingerprint": fingerprint_of(preview)}
    )
    assert response["Location"] == "/reviews/"
    assert Recommendation.objects.count() == 2


def test_kept_files_older_than_twelve_hours_are_swept_away_by_the_next_upload(
    clerk_client, clerk, upload_storage
):
    first = token_of(upload(clerk_client, good_file()))
    upload_storage.save("notes.txt", ContentFile(b"not a kept upload"))
    later = timezone.now() + KEEP_UPLOADS_FOR + datetime.timedelta(minutes=1)
    with time_machine.travel(later, tick=False):
        clerk_client.force_login(clerk)  # the first session has expired by now
        second = token_of(upload(clerk_client, good_file()))
    assert not upload_storage.exists(f"{first}.upload")
    assert upload_storage.exists(f"{second}.upload")
    assert upload_storage.exists("notes.txt")  # only kept uploads are swept


def test_a_session_keeps_only_its_newest_uploads(clerk_client, upload_storage):
    tokens = [
        token_of(upload(clerk_client, good_file())) for _ in range(MAX_PENDING_PER_SESSION + 1)
    ]
    assert clerk_client.get(f"/trackers/import/{tokens[0]}/")["Location"] == UPLOAD
    assert not upload_storage.exists(f"{tokens[0]}.upload")
    assert all(upload_storage.exists(f"{token}.upload") for token in tokens[1:])
    assert clerk_client.get(f"/trackers/import/{tokens[-1]}/").status_code == 200


def test_confirm_refuses_get(clerk_client):
    token = token_of(upload(clerk_client, good_file()))
    assert clerk_client.get(f"/trackers/import/{token}/confirm/").status_code == 405
    assert not Review.objects.exists()


def test_a_file_with_nothing_new_offers_no_confirm_button(clerk_client):
    token = token_of(upload(clerk_client, good_file()))
    preview = clerk_client.get(f"/trackers/import/{token}/")
    clerk_client.post(
        f"/trackers/import/{token}/confirm/", {"fingerprint": fingerprint_of(preview)}
    )
    token = token_of(upload(clerk_client, good_file()))
    page = clerk_client.get(f"/trackers/import/{token}/").content.decode()
    assert "Nothing to import" in page
    assert "Confirm import" not in page


# --- Downloads -------------------------------------------------------------------------------


def test_any_signed_in_user_downloads_a_reviews_tracker_as_csv(client, councillor):
    review = make_review("Scrutiny Review of Cybercrime")
    recommendation = make_recommendation("1", review=review, text="Prevent offending.")
    make_update(recommendation, as_at=datetime.date(2019, 1, 7), narrative="Task group set up.")
    make_recommendation("1", text="Another review's.")
    client.force_login(councillor)
    response = client.get(f"/reviews/{review.pk}/tracker.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="tracker-scrutiny-review-of-cybercrime.csv"'
    )
    assert response.content == write_csv(Recommendation.objects.filter(review=review))
    assert b"Another review" not in response.content


def test_any_signed_in_user_downloads_a_reviews_tracker_as_xlsx(client, officer):
    review = make_review("Scrutiny Review of Cybercrime")
    make_recommendation(
        "1", review=review, text="Prevent offending.", target_date=datetime.date(2019, 3, 31)
    )
    client.force_login(officer)
    response = client.get(f"/reviews/{review.pk}/tracker.xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="tracker-scrutiny-review-of-cybercrime.xlsx"'
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert sheet["C2"].value == "1"
    assert sheet["I2"].value == datetime.datetime(2019, 3, 31)


def test_downloads_need_sign_in_and_a_real_review(client, councillor):
    assert client.get("/reviews/1/tracker.csv").status_code == 302
    client.force_login(councillor)
    assert client.get("/reviews/999/tracker.csv").status_code == 404
    assert client.get("/reviews/999/tracker.xlsx").status_code == 404


def test_a_kept_file_that_no_longer_fits_the_register_shows_its_problems(clerk_client):
    review = make_review("Review of potholes")
    file = SimpleUploadedFile(
        "tracker.csv",
        tracker_csv(tracker_row(), columns=["review", "number", "recommendation"]),
    )
    token = token_of(upload(clerk_client, file))
    review.delete()  # the file names no committee, so now it cannot create the review
    page = clerk_client.get(f"/trackers/import/{token}/").content.decode()
    assert "is a new review, so it needs its committee" in page
    assert "The file has 1 problem, listed below. Fix it and upload the file again" in page
    assert clerk_client.get(f"/trackers/import/{token}/")["Location"] == UPLOAD

"""Evidence files on an update: checked by content, kept in storage, downloaded by who may see."""

import datetime
import io
import os

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from recommendations.choices import Status
from recommendations.models import Evidence, ProgressUpdate
from recommendations.pages.forms import ProgressUpdateForm

ADD = "/recommendations/{}/progress-updates/add/"

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452") + b"\x00" * 32


def upload(name: str, content: bytes, content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def post_update(client, recommendation, files, narrative="With evidence."):
    return client.post(
        ADD.format(recommendation.pk),
        {
            "as_at_day": "7",
            "as_at_month": "1",
            "as_at_year": "2019",
            "status": Status.ON_TRACK,
            "narrative": narrative,
            "evidence": files,
        },
    )


def stored_files() -> list[str]:
    found = []
    for folder, _dirs, files in os.walk(default_storage.location):
        found.extend(os.path.join(folder, name) for name in files)
    return sorted(found)


def assert_refused(response, message: str, before: list[str]):
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ProgressUpdate.objects.exists()
    assert not Evidence.objects.exists()
    assert stored_files() == before


@pytest.mark.django_db
def test_an_update_keeps_its_files_and_offers_them_to_those_who_may_see_it(
    client, officer, clerk, councillor, recommendation
):
    client.force_login(officer)
    response = post_update(
        client,
        recommendation,
        [upload("Minutes.pdf", PDF), upload("photo.png", PNG, "application/octet-stream")],
    )
    assert response.status_code == 302
    update = recommendation.updates.get()
    pdf, png = update.evidence.all()
    assert (pdf.name, pdf.size, pdf.content_type) == ("Minutes.pdf", len(PDF), "application/pdf")
    assert png.content_type == "image/png"  # by its content, not the browser's word
    assert "Minutes.pdf" not in pdf.file.name  # stored under a random name

    page = client.get(recommendation.get_absolute_url()).content.decode()
    assert f'href="/evidence/{pdf.pk}/"' in page
    response = client.get(f"/evidence/{pdf.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Minutes.pdf"'
    assert b"".join(response.streaming_content) == PDF

    client.force_login(clerk)
    assert client.get(f"/evidence/{pdf.pk}/").status_code == 200
    # A councillor may not see a submitted update, nor its files.
    client.force_login(councillor)
    assert client.get(f"/evidence/{pdf.pk}/").status_code == 404
    update.accept(by=clerk)
    assert client.get(f"/evidence/{pdf.pk}/").status_code == 200
    client.logout()
    assert client.get(f"/evidence/{pdf.pk}/").status_code in {302, 404}


@pytest.mark.django_db
def test_a_file_renamed_pdf_that_is_not_a_pdf_is_refused(client, officer, recommendation):
    before = stored_files()
    client.force_login(officer)
    response = post_update(client, recommendation, [upload("report.pdf", b"MZ\x90\x00 not a pdf")])
    assert_refused(response, "“report.pdf” is not a PDF, Word, Excel, ODF", before)


@pytest.mark.django_db
def test_a_21_mb_file_is_refused(client, officer, recommendation):
    before = stored_files()
    client.force_login(officer)
    big = PDF + b"0" * (21 * 1024 * 1024)
    response = post_update(client, recommendation, [upload("big.pdf", big)])
    assert_refused(response, "each file must be at most 20.0\xa0MB", before)


@pytest.mark.django_db
def test_a_sixth_file_is_refused(client, officer, recommendation):
    before = stored_files()
    client.force_login(officer)
    files = [upload(f"part{n}.pdf", PDF) for n in range(6)]
    response = post_update(client, recommendation, files)
    assert_refused(response, "You can add at most 5 files to an update; you chose 6.", before)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("../../etc/passwd.pdf", "cannot contain a folder path"),
        ("..\\secret.pdf", "cannot contain a folder path"),
        ("minutes\x07.pdf", "cannot contain control characters"),
        ("minutes\u202egpj.pdf", "cannot contain control characters"),
    ],
)
@pytest.mark.django_db
def test_a_name_with_a_path_or_control_characters_is_refused_by_the_form(name, message):
    """Django's upload parser already reduces such names to their last part and drops
    unprintable characters; the form refuses them too, for any other door."""
    uploaded = upload("placeholder.pdf", PDF)
    uploaded._name = name  # as a client bypassing the parser would give it
    form = ProgressUpdateForm(
        {
            "as_at_day": "7",
            "as_at_month": "1",
            "as_at_year": "2019",
            "status": Status.ON_TRACK,
            "narrative": "x",
        },
        {"evidence": [uploaded]},
    )
    assert not form.is_valid()
    assert message in str(form.errors["evidence"])


@pytest.mark.django_db
def test_a_path_in_an_uploaded_name_never_reaches_storage(client, officer, recommendation):
    client.force_login(officer)
    file = io.BytesIO(PDF)
    file.name = "../../outside.pdf"
    response = post_update(client, recommendation, [file])
    evidence = Evidence.objects.get()
    assert response.status_code == 302
    assert evidence.name == "outside.pdf"
    assert os.path.realpath(evidence.file.path).startswith(
        os.path.realpath(default_storage.location)
    )


@pytest.mark.django_db
def test_a_failure_after_storing_leaves_no_file_behind(
    client, officer, recommendation, monkeypatch
):
    before = stored_files()
    client.force_login(officer)

    def refuse(self, *args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(Evidence, "save", refuse)
    with pytest.raises(RuntimeError):
        post_update(client, recommendation, [upload("Minutes.pdf", PDF)])
    assert stored_files() == before
    assert not ProgressUpdate.objects.exists()


@pytest.mark.django_db
def test_evidence_is_append_only(officer, recommendation):
    from recommendations.models import AppendOnlyError
    from recommendations.models.evidence import add_evidence

    update = recommendation.record_progress(
        author=officer, as_at=datetime.date(2019, 1, 7), status=Status.ON_TRACK, narrative="x"
    )
    evidence = add_evidence(update, upload("a.pdf", PDF), "application/pdf")
    with pytest.raises(AppendOnlyError):
        evidence.save()
    with pytest.raises(AppendOnlyError):
        evidence.delete()


@pytest.mark.django_db
def test_the_appendix_lists_accepted_evidence_by_name_and_size(
    client, officer, clerk, councillor, recommendation
):
    from recommendations.appendix.build import build_appendix
    from recommendations.appendix.render import render_report_html

    client.force_login(officer)
    post_update(client, recommendation, [upload("Minutes.pdf", PDF)], narrative="See minutes.")
    update = recommendation.updates.get()
    today = datetime.date.today()
    review = recommendation.review
    assert "Minutes.pdf" not in render_report_html(build_appendix(review, today))

    update.accept(by=clerk)
    evidence = update.evidence.get()
    html = render_report_html(build_appendix(review, today))
    assert f"Evidence: Minutes.pdf ({len(PDF)}\xa0bytes)" in html
    assert "/evidence/" not in html  # the PDF names the file; it links nowhere

    client.force_login(councillor)
    page = client.get(f"/reviews/{review.pk}/progress-report/").content.decode()
    assert f'<a class="govuk-link" href="/evidence/{evidence.pk}/">Minutes.pdf</a>' in page

"""The register's "Download CSV" and "Download XLSX": the filtered rows, in the tracker format."""

import csv
import datetime
import io

import openpyxl
import pytest

from recommendations.choices import Status
from tests.factories import make_recommendation, make_review, make_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_reviews(db):
    potholes = make_review("Review of potholes")
    cyber = make_review("Review of cybercrime")
    slipped = make_recommendation("1", review=cyber, text="Cyber awareness in schools")
    make_update(slipped, as_at=datetime.date(2019, 1, 7), status=Status.SLIPPED)
    make_recommendation("2", review=cyber, text="A video for young people")
    make_recommendation("1", review=potholes, text="Fill the potholes")
    return potholes, cyber


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_csv_holds_exactly_the_filtered_recommendations(client, councillor, two_reviews):
    _potholes, cyber = two_reviews
    client.force_login(councillor)
    response = client.get(f"/register/tracker.csv?review={cyber.pk}&status=slipped")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="register-')
    header, *rows = csv_rows(response)
    assert header[:3] == ["review", "committee", "number"]
    assert [(row[0], row[2]) for row in rows] == [("Review of cybercrime", "1")]


def test_without_filters_the_csv_holds_every_recommendation(client, councillor, two_reviews):
    client.force_login(councillor)
    _header, *rows = csv_rows(client.get("/register/tracker.csv"))
    assert sorted((row[0], row[2]) for row in rows) == [
        ("Review of cybercrime", "1"),
        ("Review of cybercrime", "2"),
        ("Review of potholes", "1"),
    ]


def test_the_xlsx_holds_the_same_rows_as_the_csv(client, councillor, two_reviews):
    client.force_login(councillor)
    search = "?q=cyber"
    csv_body = csv_rows(client.get(f"/register/tracker.csv{search}"))
    workbook = openpyxl.load_workbook(
        io.BytesIO(client.get(f"/register/tracker.xlsx{search}").content)
    )
    cells = [[cell for cell in row] for row in workbook.active.iter_rows(values_only=True)]
    assert len(cells) == len(csv_body) == 2
    assert cells[1][3] == "Cyber awareness in schools"


def test_a_bad_filter_gets_the_register_with_its_error_and_no_file(client, councillor, two_reviews):
    client.force_login(councillor)
    response = client.get("/register/tracker.csv?status=greenish")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert b"There is a problem" in response.content


def test_the_register_page_links_to_the_downloads_with_its_filters(client, councillor, two_reviews):
    _potholes, cyber = two_reviews
    client.force_login(councillor)
    page = client.get(f"/register/?review={cyber.pk}&page=1").content.decode()
    assert f'href="/register/tracker.csv?review={cyber.pk}"' in page
    assert f'href="/register/tracker.xlsx?review={cyber.pk}"' in page


def test_signed_out_people_are_sent_to_sign_in(client):
    response = client.get("/register/tracker.csv")
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")

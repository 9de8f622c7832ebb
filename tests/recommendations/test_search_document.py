"""The stored search document that the register searches on PostgreSQL follows every change."""

import csv
import datetime
import io

import pytest
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import F

from recommendations.demo import load_demo
from recommendations.models import ProgressUpdate, Recommendation, search_document_expression
from recommendations.trackers.applying import import_tracker
from recommendations.trackers.writing import write_csv
from tests.factories import make_recommendation, make_review, make_update, make_user

D = datetime.date
pytestmark = pytest.mark.django_db
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the document exists on PostgreSQL only"
)


def stale_documents() -> list[str]:
    """The numbers of recommendations whose stored document differs from one built afresh."""
    fresh = Recommendation.objects.annotate(fresh=search_document_expression(ProgressUpdate))
    return [rec.number for rec in fresh if rec.search_document != rec.fresh]


def searched_as_before(terms: str) -> list[tuple[str, float]]:
    """The register's search as it was: the document built for every row at request time."""
    query = SearchQuery(terms, search_type="websearch", config="english")
    return [
        (rec.number, round(rec.rank, 6))
        for rec in Recommendation.objects.alias(search=search_document_expression(ProgressUpdate))
        .filter(search=query)
        .annotate(rank=SearchRank(F("search"), query))
        .order_by("-rank", "sort_key")
    ]


def searched_now(terms: str) -> list[tuple[str, float]]:
    query = SearchQuery(terms, search_type="websearch", config="english")
    return [
        (rec.number, round(rec.rank, 6))
        for rec in Recommendation.objects.filter(search_document=query)
        .annotate(rank=SearchRank(F("search_document"), query))
        .order_by("-rank", "sort_key")
    ]


@postgresql_only
def test_a_new_recommendation_has_its_text_as_its_document():
    rec = make_recommendation("1", text="That the police train staff.")
    rec.refresh_from_db()
    assert rec.search_document == "'polic':3A 'staff':5A 'train':4A"
    assert stale_documents() == []


@postgresql_only
def test_editing_the_text_rewrites_the_document_and_other_edits_leave_it_alone():
    rec = make_recommendation("1", text="That schools are visited.")
    make_update(rec, as_at=D(2019, 1, 1), narrative="Training was given.")
    rec = Recommendation.objects.get(pk=rec.pk)
    rec.text = "That the police are trained."
    rec.save()
    assert stale_documents() == []
    rec.refresh_from_db()
    assert "'polic':3A" in rec.search_document and "'train':5A,6B" in rec.search_document
    # A save that leaves the text alone writes nothing more than the row.
    rec.is_priority = True
    rec.save()
    rec.save(update_fields=["is_priority"])
    assert stale_documents() == []


@postgresql_only
def test_each_new_update_adds_its_narrative_once_accepted():
    rec = make_recommendation("1", text="That schools are visited.")
    clerk = make_user(role="Scrutiny officer")  # so the updates count (and are searched) at once
    rec.record_progress(author=clerk, as_at=D(2019, 1, 1), status="on_track", narrative="Police.")
    assert stale_documents() == []
    rec.record_progress(
        author=clerk,
        as_at=D(2019, 2, 1),
        status="slipped",
        narrative="Training delayed.",
        revised_target_date=D(2019, 9, 1),
        revision_reason="Trainers ill.",
    )
    assert stale_documents() == []
    assert searched_now("police training") == searched_as_before("police training")
    assert [number for number, _rank in searched_now("police training")] == ["1"]


@postgresql_only
def test_an_import_keeps_the_documents_of_created_changed_and_updated_recommendations():
    load_demo()
    assert stale_documents() == []
    clerk = make_user("editor", role="Scrutiny officer")
    exported = write_csv(Recommendation.objects.order_by("sort_key"))
    parsed = list(csv.reader(io.StringIO(exported.decode("utf-8-sig"))))
    header = parsed[0]
    rows = parsed[1:]
    two = next(row for row in rows if row[header.index("number")] == "2")
    two[header.index("recommendation")] = "That the police train cadets in cyber awareness."
    new = list(two)
    new[header.index("number")] = "99"
    new[header.index("recommendation")] = "That libraries host scam workshops."
    for column in ["update_date", "update_status", "update_text"]:
        new[header.index(column)] = ""
    three = next(row for row in rows if row[header.index("number")] == "3")
    extra = list(three)
    extra[header.index("update_date")] = "04/03/2019"
    extra[header.index("update_status")] = "delayed"
    extra[header.index("update_text")] = "Workshops on fraud are planned."
    buffer = io.StringIO()
    csv.writer(buffer).writerows([header, *rows, new, extra])
    import_tracker(buffer.getvalue().encode(), "edited.csv", user=clerk)

    assert Recommendation.objects.filter(number="99").exists()
    assert stale_documents() == []
    for terms in ["cadets", "libraries", "fraud workshops", "police", "cyber crime"]:
        assert searched_now(terms) == searched_as_before(terms), terms


@postgresql_only
def test_search_finds_and_ranks_exactly_as_before_across_text_and_updates():
    review = make_review()
    one = make_recommendation("1", review=review, text="That the police report yearly.")
    make_update(one, as_at=D(2019, 1, 1), narrative="Training sessions have started.")
    two = make_recommendation("2", review=review, text="That police training is reviewed.")
    make_update(two, as_at=D(2019, 1, 1), narrative="The police trained 40 officers.")
    make_recommendation("3", review=review, text="That training is offered to schools.")
    make_recommendation("4", review=review, text="That nothing happens.")
    for terms in ["police training", "policing", "trained", '"police training"', "police -schools"]:
        assert searched_now(terms) == searched_as_before(terms), terms
    # "police" in the text and "training" in an update is a match.
    assert [number for number, _rank in searched_now("police training")] == ["2", "1"]


@pytest.mark.skipif(connection.vendor == "postgresql", reason="SQLite keeps no document")
def test_on_sqlite_the_document_stays_empty():
    rec = make_recommendation("1", text="That the police train staff.")
    make_update(rec, as_at=D(2019, 1, 1), narrative="Training given.")
    Recommendation.objects.refresh_current_status()
    assert Recommendation.objects.refresh_search_document() == 0
    rec.refresh_from_db()
    assert rec.search_document is None


@postgresql_only
def test_a_submitted_update_is_searched_only_once_accepted():
    rec = make_recommendation("1", text="That schools are visited.")
    officer = make_user()
    update = rec.record_progress(
        author=officer, as_at=D(2019, 1, 1), status="on_track", narrative="Police."
    )
    assert searched_now("police") == []
    update.accept(by=make_user(role="Scrutiny officer"))
    assert stale_documents() == []
    assert [number for number, _rank in searched_now("police")] == ["1"]

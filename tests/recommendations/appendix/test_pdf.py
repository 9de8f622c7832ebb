"""The appendix as a PDF: its text, its tags, escaped user text, and no network."""

import datetime
import gc
import io
import re

import pydyf
import pytest
from django.utils.formats import date_format
from pypdf import PdfReader

from recommendations.appendix.build import build_appendix
from recommendations.appendix.pdf import (
    PYDYF_PAGE_REFERENCES,
    FetchRefused,
    StaticFilesFetcher,
    cyclic_gc_paused,
    html_to_pdf,
)
from recommendations.appendix.render import render_report_html
from recommendations.choices import Status
from tests.factories import make_recommendation, make_review, make_update
from tests.recommendations.appendix.helpers import DEMO_MEETING, load_demo, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_pdf():
    review, meeting = load_demo()
    appendix = build_appendix(review, DEMO_MEETING, meeting=meeting)
    return appendix, html_to_pdf(render_report_html(appendix))


def test_the_pdf_text_has_every_number_status_and_update_date_of_the_demo(demo_pdf):
    appendix, pdf = demo_pdf
    text = pdf_text(pdf)
    assert "Appendix 2: Progress against the recommendations of the Scrutiny Review of" in text
    assert "Position as at 21 January 2019" in text
    for row in appendix.rows:
        # Each row starts with its number followed by its text, which all begin "That".
        assert re.search(rf"(^|\n){re.escape(row.number)} That", text), row.number
        assert row.status.label in text
        for entry in row.narrative:
            assert date_format(entry.as_at) in text
    for label in (Status.ON_TRACK.label, Status.SLIPPED.label, Status.ACHIEVED.label):
        assert label in text
    assert re.search(r"Page 1 of \d+", text)


def test_the_pdf_is_tagged_with_a_title_and_language(demo_pdf):
    appendix, pdf = demo_pdf
    reader = PdfReader(io.BytesIO(pdf))
    catalog = reader.trailer["/Root"]
    assert "/StructTreeRoot" in catalog
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert catalog["/Lang"] == "en-GB"
    assert reader.metadata.title == appendix.title
    assert bool(catalog["/ViewerPreferences"]["/DisplayDocTitle"])
    page = reader.pages[0]
    assert page.mediabox.width > page.mediabox.height  # landscape


def structure_elements(reader):
    def walk(node):
        node = node.get_object()
        if hasattr(node, "keys"):
            yield node
            kids = node.get("/K")
            if kids is not None:
                for kid in kids if isinstance(kids, list) else [kids]:
                    yield from walk(kid)

    yield from walk(reader.trailer["/Root"]["/StructTreeRoot"])


def test_data_cells_are_tied_to_their_header_cells(demo_pdf):
    _, pdf = demo_pdf
    elements = list(structure_elements(PdfReader(io.BytesIO(pdf))))
    header_ids = {str(e["/ID"]) for e in elements if e.get("/S") == "/TH" and "/ID" in e}
    cells = [e for e in elements if e.get("/S") == "/TD"]
    assert header_ids and cells
    assert all(
        {str(h) for h in cell["/A"]["/Headers"]} <= header_ids and cell["/A"]["/Headers"]
        for cell in cells
    )


def test_html_and_script_in_user_text_is_printed_as_text():
    review = make_review("Review of <i>markup</i>")
    recommendation = make_recommendation(
        "1", review=review, text='<script>document.write("owned")</script><b>Bold</b> claim'
    )
    make_update(
        recommendation,
        as_at=DEMO_MEETING,
        narrative="<img src='http://example.org/x.png'> progress",
    )
    appendix = build_appendix(review, datetime.date.today())
    # Lines wrap anywhere in a table cell, so compare without white space.
    text = "".join(pdf_text(html_to_pdf(render_report_html(appendix))).split())
    assert '<script>document.write("owned")</script><b>Bold</b>claim' in text
    assert "<imgsrc='http://example.org/x.png'>progress" in text
    assert "Reviewof<i>markup</i>" in text


def test_the_fetcher_serves_static_files_and_refuses_everything_else():
    fetcher = StaticFilesFetcher()
    css = fetcher.fetch("https://appendix.invalid/static/css/print.css")
    assert b"@page" in css.read()
    for url in (
        "http://example.org/static/css/print.css",
        "https://appendix.invalid/etc/passwd",
        "https://appendix.invalid/static/../../pyproject.toml",
        "file:///etc/passwd",
        "data:text/css,body{}",
    ):
        with pytest.raises(FetchRefused):
            fetcher.fetch(url)


def test_structure_elements_point_at_the_pages_their_content_is_on():
    review = make_review()
    for number in range(1, 16):
        recommendation = make_recommendation(str(number), review=review, text="That " + "x " * 300)
        make_update(recommendation, as_at=datetime.date.today(), narrative="Progress. " * 120)
    pdf = html_to_pdf(render_report_html(build_appendix(review, datetime.date.today())))
    reader = PdfReader(io.BytesIO(pdf))
    pages = [page.indirect_reference.idnum for page in reader.pages]
    used = [e.raw_get("/Pg").idnum for e in structure_elements(reader) if "/Pg" in e]
    assert len(pages) > 3
    assert set(used) == set(pages)
    # Rows are tagged in document order, so the pages they point at never go backwards.
    rows = [
        pages.index(e.raw_get("/Pg").idnum)
        for e in structure_elements(reader)
        if e.get("/S") == "/TR"
    ]
    assert rows == sorted(rows) and rows[-1] == len(pages) - 1


def test_the_pydyf_patch_is_in_place_and_agrees_with_pydyf():
    assert isinstance(PYDYF_PAGE_REFERENCES, property)
    assert pydyf.PDF.page_references is not PYDYF_PAGE_REFERENCES
    document = pydyf.PDF()
    for _ in range(3):
        first = document.page_references  # cached, then rebuilt when a page is added
        document.add_page(pydyf.Dictionary({"Type": "/Page"}))
        assert document.page_references == PYDYF_PAGE_REFERENCES.fget(document)
        assert len(document.page_references) == len(first) + 1


def test_the_garbage_collector_is_paused_only_while_rendering():
    assert gc.isenabled()
    with cyclic_gc_paused():
        assert not gc.isenabled()
        with cyclic_gc_paused():  # another render overlapping it
            pass
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(RuntimeError), cyclic_gc_paused():
        raise RuntimeError("the render failed")
    assert gc.isenabled()
    gc.disable()
    try:
        with cyclic_gc_paused():
            pass
        assert not gc.isenabled()  # it was off before, so it stays off
    finally:
        gc.enable()

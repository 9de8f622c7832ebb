"""The appendix PDF against an independent PDF/UA-1 checker, and its table tags read with pikepdf.

`pdfua` (PyPI) runs the machine-checkable part of the Matterhorn Protocol; what it cannot judge
is listed in the README. One of its rules has a bug of its own (see KNOWN_CHECKER_BUGS): that one
rule, and only with that exact error, may be reported as not evaluated; the test below checks by
hand what it would have checked.
"""

import datetime
import io
import json
import logging
import re
import subprocess
import sys

import pikepdf
import pytest
from pdfua.document import as_integer

from recommendations.appendix.build import build_appendix
from recommendations.appendix.pdf import html_to_pdf
from recommendations.appendix.pdf_tags import TableLayout, mend_table_tags
from recommendations.appendix.render import render_report_html
from recommendations.choices import Status
from tests.factories import make_recommendation, make_review, make_update
from tests.recommendations.appendix.helpers import DEMO_MEETING, load_demo

pytestmark = pytest.mark.django_db

# pdfua 0.1.3's UA-14-001 (headings are not empty) asks every heading's /K whether it is a
# number with getattr(kid, "is_integer", False); on a pikepdf Array that raises ValueError instead
# of AttributeError, so the rule stops at the first heading whose /K is an array - as WeasyPrint
# writes every heading - and reports itself "not evaluated". A checker bug, not a finding:
# test_the_checker_bug_is_still_there fails once pdfua fixes it, and this allowance should go.
KNOWN_CHECKER_BUGS = {
    "UA-14-001": "rule raised ValueError: pikepdf.Object is not a Dictionary or Stream: "
    "cannot get key '/is_integer' on object of type array",
}
ARTIFACT = re.compile(rb"/Artifact\s*<<\s*/Type\s*/Pagination\s*/Subtype\s*/Header\s*>>\s*BDC")


def check_with_pdfua(pdf: bytes, tmp_path) -> dict:
    path = tmp_path / "appendix.pdf"
    path.write_bytes(pdf)
    run = subprocess.run(
        [sys.executable, "-m", "pdfua", "check", "--format", "json", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    report = json.loads(run.stdout)
    report["returncode"] = run.returncode
    return report


def assert_no_findings(report: dict) -> None:
    assert report["findings"] == []
    assert report["returncode"] == 0
    for skipped in report["skipped"]:
        assert KNOWN_CHECKER_BUGS.get(skipped["rule_id"]) == skipped["reason"], skipped
    assert report["summary"]["rules_run"] >= 11


@pytest.fixture
def demo_pdf() -> bytes:
    review, meeting = load_demo()
    return html_to_pdf(render_report_html(build_appendix(review, DEMO_MEETING, meeting=meeting)))


def fifty_recommendation_html() -> str:
    """Recorded now, so reported as at today (an earlier D would not know of them yet)."""
    today = datetime.date.today()
    review = make_review("Scrutiny Review of Everything")
    statuses = [Status.ON_TRACK, Status.SLIPPED, Status.ACHIEVED, Status.NOT_ACHIEVED]
    for number in range(1, 51):
        recommendation = make_recommendation(
            str(number),
            review=review,
            text="That the council and its partners " + "work together on it " * 12,
        )
        make_update(
            recommendation,
            as_at=today,
            status=statuses[number % len(statuses)],
            narrative="The task group met and agreed an action plan. " * 8,
        )
    return render_report_html(build_appendix(review, today))


@pytest.fixture
def fifty_pdf() -> bytes:
    return html_to_pdf(fifty_recommendation_html())


def elements(node, role: str):
    kids = node.get("/K")
    for kid in kids if isinstance(kids, pikepdf.Array) else [] if kids is None else [kids]:
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            if str(kid.S) == role:
                yield kid
            yield from elements(kid, role)


def test_the_demo_appendix_passes_the_pdf_ua_checker_with_no_findings(demo_pdf, tmp_path):
    with pikepdf.open(io.BytesIO(demo_pdf)) as pdf:
        assert len(pdf.pages) > 1  # the progress table runs over more than one page
    assert_no_findings(check_with_pdfua(demo_pdf, tmp_path))


def test_a_fifty_recommendation_appendix_over_many_pages_passes_the_checker(fifty_pdf, tmp_path):
    with pikepdf.open(io.BytesIO(fifty_pdf)) as pdf:
        assert len(pdf.pages) >= 10
    assert_no_findings(check_with_pdfua(fifty_pdf, tmp_path))


def test_the_progress_table_is_one_table_with_one_header_over_every_page(fifty_pdf):
    with pikepdf.open(io.BytesIO(fifty_pdf)) as pdf:
        tables = list(elements(pdf.Root.StructTreeRoot, "/Table"))
        assert len(tables) == 2  # the summary and the progress table, whatever the pages
        progress = tables[1]
        assert len(list(elements(progress, "/Caption"))) == 1
        assert len(list(elements(progress, "/THead"))) == 1
        (body,) = elements(progress, "/TBody")
        assert len(list(elements(body, "/TR"))) == 50
        assert len(list(elements(body, "/TH"))) == 50  # each row's number, once
        pages = {page.objgen: n for n, page in enumerate(pdf.pages)}
        rows_on = [pages[row.Pg.objgen] for row in elements(body, "/TR")]
        assert rows_on == sorted(rows_on)
        assert set(rows_on) == set(range(rows_on[0], len(pdf.pages)))
        assert all(row.P.objgen == body.objgen for row in elements(body, "/TR"))


def test_every_header_cell_has_the_scope_its_html_gave(fifty_pdf, demo_pdf):
    for document in (fifty_pdf, demo_pdf):
        with pikepdf.open(io.BytesIO(document)) as pdf:
            summary, progress = elements(pdf.Root.StructTreeRoot, "/Table")
            for head in (*elements(summary, "/THead"), *elements(progress, "/THead")):
                scopes = {str(th.A.Scope) for th in elements(head, "/TH")}
                assert scopes == {"/Column"}
            (body,) = elements(progress, "/TBody")
            assert {str(th.A.Scope) for th in elements(body, "/TH")} == {"/Row"}
            assert all(str(th.A.O) == "/Table" for th in elements(progress, "/TH"))


def test_every_data_cell_names_header_cells_that_are_in_the_tree(fifty_pdf):
    with pikepdf.open(io.BytesIO(fifty_pdf)) as pdf:
        root = pdf.Root.StructTreeRoot
        header_ids = {str(th.ID) for th in elements(root, "/TH")}
        cells = list(elements(root, "/TD"))
        assert cells
        for cell in cells:
            named = {str(h) for h in cell.A.Headers}
            assert named and named <= header_ids
        _, progress = elements(root, "/Table")
        (progress_head,) = elements(progress, "/THead")
        column_ids = {str(th.ID) for th in elements(progress_head, "/TH")}
        for cell in elements(progress, "/TD"):
            assert len({str(h) for h in cell.A.Headers} & column_ids) == 1


def test_the_header_repeated_on_later_pages_is_a_pagination_artifact(fifty_pdf):
    with pikepdf.open(io.BytesIO(fifty_pdf)) as pdf:
        nums = pdf.Root.StructTreeRoot.ParentTree.Nums
        parents = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
        for number, page in enumerate(pdf.pages):
            content = page.Contents.read_bytes()
            # Four header cells repeated on every page but the first, each marked as pagination.
            assert len(ARTIFACT.findall(content)) == (4 if number else 0), number
            # Every piece of marked content left has its structure element, and no other does.
            marked = {int(m) for m in re.findall(rb"<<\s*/MCID\s+(\d+)\s*>>\s*BDC", content)}
            mapping = parents[int(page.StructParents)]
            mapped = {mcid for mcid, parent in enumerate(mapping) if parent is not None}
            assert marked == mapped, number
            assert len(mapping) == len(marked) + (4 if number else 0)


def test_the_headings_are_not_empty_as_the_checker_would_say_if_it_could(demo_pdf):
    """What UA-14-001 checks, since the checker cannot (KNOWN_CHECKER_BUGS)."""

    def marks_content(element) -> bool:
        kids = element.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            if isinstance(kid, int) or (isinstance(kid, pikepdf.Dictionary) and marks_content(kid)):
                return True
        return False

    with pikepdf.open(io.BytesIO(demo_pdf)) as pdf:
        headings = [
            h
            for role in ("/H1", "/H2", "/H3", "/H4", "/H5", "/H6")
            for h in elements(pdf.Root.StructTreeRoot, role)
        ]
        assert headings
        assert all(marks_content(heading) for heading in headings)


def test_the_checker_bug_is_still_there():
    """When this fails, pdfua has fixed UA-14-001: remove it from KNOWN_CHECKER_BUGS."""
    assert as_integer(5) == 5
    with pytest.raises(ValueError, match="is_integer"):
        as_integer(pikepdf.Array([0]))


def test_the_same_html_gives_the_same_bytes_every_time():
    html = fifty_recommendation_html()
    first = html_to_pdf(html)
    assert html_to_pdf(html) == first
    with pikepdf.open(io.BytesIO(first)) as pdf:
        assert "/ID" in pdf.trailer  # made from the content, not at random
        assert set(pdf.docinfo.keys()) == {"/Producer", "/Title"}  # no dates added


def test_weasyprint_alone_still_leaves_the_gaps_this_mends(tmp_path):
    """When this fails, WeasyPrint tags tables well itself: pdf_tags.py may no longer be needed."""
    pdf = html_to_pdf(fifty_recommendation_html(), mend_tags=False)
    with pikepdf.open(io.BytesIO(pdf)) as document:
        assert len(list(elements(document.Root.StructTreeRoot, "/Table"))) > 2
        assert not any("/Scope" in th.A for th in elements(document.Root.StructTreeRoot, "/TH"))
    assert {f["rule_id"] for f in check_with_pdfua(pdf, tmp_path)["findings"]} == {"UA-15-003"}


def test_a_pdf_shaped_unexpectedly_is_left_as_weasyprint_wrote_it(caplog):
    original = html_to_pdf(
        render_report_html(build_appendix(make_review(), datetime.date(2019, 1, 1))),
        mend_tags=False,
    )
    with caplog.at_level(logging.ERROR, logger="recommendations.appendix.pdf_tags"):
        assert mend_table_tags(original, TableLayout(tables=(0,), header_scopes=())) == original
    assert "Left the PDF's table tags as WeasyPrint wrote them" in caplog.text
    assert mend_table_tags(b"%PDF-1.7 torn off", TableLayout((), ())) == b"%PDF-1.7 torn off"


def test_a_row_longer_than_a_page_still_gives_one_table_that_passes_the_checker(tmp_path):
    today = datetime.date.today()
    review = make_review()
    for number in range(1, 4):
        recommendation = make_recommendation(str(number), review=review)
        make_update(recommendation, as_at=today, narrative="A long account of the work. " * 400)
    pdf = html_to_pdf(render_report_html(build_appendix(review, today)))
    with pikepdf.open(io.BytesIO(pdf)) as document:
        assert len(document.pages) > 4
        tables = list(elements(document.Root.StructTreeRoot, "/Table"))
        assert len(tables) == 2
        assert len(list(elements(tables[1], "/THead"))) == 1
    assert_no_findings(check_with_pdfua(pdf, tmp_path))

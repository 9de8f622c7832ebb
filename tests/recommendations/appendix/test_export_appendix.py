"""`manage.py export_appendix`: the appendix to a file, and clear errors."""

import io
import re
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.recommendations.appendix.helpers import load_demo, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    return load_demo()


def export(*args: str) -> str:
    out = io.StringIO()
    call_command("export_appendix", *args, stdout=out)
    return out.getvalue()


def test_it_writes_the_pdf_for_a_meeting_by_review_id(demo, tmp_path):
    review, _ = demo
    output = tmp_path / "appendix.pdf"
    summary = export(
        str(review.pk),
        "--as-at=2019-01-21",
        "--meeting-date=2019-01-21",
        "--number=3",
        "--format=pdf",
        f"--output={output}",
    )
    assert f"Wrote {output} (PDF" in summary and "7 recommendations" in summary
    text = pdf_text(output.read_bytes())
    assert "Appendix 3: Progress against the recommendations" in text
    assert "Meeting of 21 January 2019" in text


def test_it_writes_html_by_exact_title_as_known_at_a_moment(demo, tmp_path):
    output = tmp_path / "appendix.html"
    export(
        "Scrutiny Review of Cybercrime",
        "--as-at=2019-01-21",
        "--known-at=2019-01-06T12:00",
        "--format=html",
        f"--output={output}",
    )
    html = output.read_text()
    assert "Position as at 21 January 2019" in html
    # Nothing had been recorded by 6 January: every recommendation is "Not started".
    assert html.count(">Not started</p>") == 7


def test_it_includes_closed_recommendations_when_asked(demo, tmp_path):
    output = tmp_path / "appendix.html"
    export(
        "Scrutiny Review of Cybercrime",
        "--as-at=2019-01-21",
        "--include-closed",
        "--format=html",
        f"--output={output}",
    )
    assert "closed ones left out" not in output.read_text()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["Review of nothing", "--as-at=2019-01-21"],
            "No review has the id or exact title 'Review of nothing'",
        ),
        (["999999", "--as-at=2019-01-21"], "No review has the id or exact title '999999'"),
        (["1", "--as-at=21/01/2019"], "--as-at must be a date like 2019-01-21, not '21/01/2019'"),
        (["1", "--as-at=2019-02-30"], "--as-at must be a date like 2019-01-21"),
        (
            ["1", "--as-at=9999-12-31"],
            "--as-at must be between 1 January 1990 and 31 December 2100, not '9999-12-31'",
        ),
        (["1", "--as-at=2019-01-21", "--known-at=soon"], "--known-at must be a date and time"),
        (
            ["1", "--as-at=2019-01-21", "--meeting-date=2019-01-22"],
            "has no meeting on 22 January 2019",
        ),
        (["1", "--as-at=2019-01-21", "--number=0"], "--number must be between 1 and 99"),
    ],
)
def test_it_explains_bad_input(demo, tmp_path, args, message):
    review, _ = demo
    args = [str(review.pk) if arg == "1" else arg for arg in args]
    output = tmp_path / "appendix.pdf"
    with pytest.raises(CommandError, match=re.escape(message)):
        export(*args, "--format=pdf", f"--output={output}")
    assert not output.exists()


def test_it_explains_an_unwritable_path(demo, tmp_path):
    review, _ = demo
    with pytest.raises(CommandError, match=r"the folder .* does not exist"):
        export(
            str(review.pk),
            "--as-at=2019-01-21",
            "--format=html",
            f"--output={tmp_path / 'missing' / 'a.html'}",
        )
    with pytest.raises(CommandError, match="is a folder"):
        export(str(review.pk), "--as-at=2019-01-21", "--format=html", f"--output={tmp_path}")
    # Somewhere even root cannot create a file.
    if not Path("/proc/self").is_dir():
        pytest.skip("needs Linux's /proc")
    with pytest.raises(CommandError, match=r"Cannot write /proc/appendix.html: "):
        export(
            str(review.pk), "--as-at=2019-01-21", "--format=html", "--output=/proc/appendix.html"
        )

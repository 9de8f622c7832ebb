"""Write a review's appendix as PDF or HTML, as at a date and as known at a moment."""

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.translation import ngettext

from recommendations.appendix.build import DEFAULT_NUMBER, MAX_APPENDIX_NUMBER, build_appendix
from recommendations.appendix.pdf import html_to_pdf
from recommendations.appendix.render import render_report_html
from reviews.models import Meeting, Review
from scrutiny.dates import EARLIEST, LATEST, range_message


def _date(option: str, value: str) -> datetime.date:
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{option} must be a date like 2019-01-21, not {value!r}") from None
    if not EARLIEST <= day <= LATEST:
        raise CommandError(f"{range_message(option)}, not {value!r}")
    return day


class Command(BaseCommand):
    help = (
        "Write the appendix (the committee progress report) of a review as PDF or HTML: the "
        "position as at a date, as known at a moment (by default the end of that day, or now "
        "for today or later)."
    )

    def add_arguments(self, parser):
        parser.add_argument("review", help="The review's id or its exact title.")
        parser.add_argument("--as-at", required=True, help="The as-at date, YYYY-MM-DD.")
        parser.add_argument(
            "--known-at",
            help="What was known at this moment, ISO 8601 (e.g. 2019-01-21T10:00); "
            "a time without a zone is in the site's zone.",
        )
        parser.add_argument(
            "--meeting-date", help="The date of the committee's meeting it is for, YYYY-MM-DD."
        )
        parser.add_argument(
            "--number",
            type=int,
            default=DEFAULT_NUMBER,
            help=f"The appendix number (default {DEFAULT_NUMBER}).",
        )
        parser.add_argument(
            "--include-closed",
            action="store_true",
            help="Include recommendations the committee has closed.",
        )
        parser.add_argument("--format", required=True, choices=["pdf", "html"])
        parser.add_argument("--output", required=True, help="The file to write.")

    def handle(self, *args, **options):
        review = self._review(options["review"])
        as_at = _date("--as-at", options["as_at"])
        known_at = self._known_at(options["known_at"])
        meeting = self._meeting(review, options["meeting_date"])
        if not 1 <= options["number"] <= MAX_APPENDIX_NUMBER:
            raise CommandError(f"--number must be between 1 and {MAX_APPENDIX_NUMBER}.")
        output = self._output(options["output"])

        appendix = build_appendix(
            review,
            as_at,
            known_at=known_at,
            meeting=meeting,
            number=options["number"],
            include_closed=options["include_closed"],
        )
        html = render_report_html(appendix, generated_at=timezone.now())
        content = html_to_pdf(html) if options["format"] == "pdf" else html.encode()
        try:
            output.write_bytes(content)
        except OSError as error:
            raise CommandError(f"Cannot write {output}: {error.strerror}.") from None
        count = len(appendix.rows)
        recommendations = ngettext(
            "%(count)d recommendation", "%(count)d recommendations", count
        ) % {"count": count}
        self.stdout.write(
            f"Wrote {output} ({options['format'].upper()}, {len(content):,} bytes): "
            f"{appendix.title}, {recommendations}, "
            f"position as at {date_format(as_at)}."
        )

    def _review(self, value: str) -> Review:
        review = None
        if value.strip().isdigit():
            review = Review.objects.filter(pk=int(value)).first()
        if review is None:
            review = Review.objects.filter(title=value.strip()).first()
        if review is None:
            raise CommandError(f"No review has the id or exact title {value!r}.")
        return review

    def _meeting(self, review: Review, value: str | None) -> Meeting | None:
        if not value:
            return None
        meeting_date = _date("--meeting-date", value)
        meeting = Meeting.objects.filter(
            committee_id=review.committee_id, date=meeting_date
        ).first()
        if meeting is None:
            raise CommandError(
                f"{review.committee} has no meeting on {date_format(meeting_date)} "
                f"({meeting_date.isoformat()})."
            )
        return meeting

    def _output(self, value: str) -> Path:
        output = Path(value)
        if output.is_dir():
            raise CommandError(f"{output} is a folder; give a file name to write.")
        if not output.parent.is_dir():
            raise CommandError(f"Cannot write {output}: the folder {output.parent} does not exist.")
        return output

    def _known_at(self, value: str | None) -> datetime.datetime | None:
        if value is None:
            return None
        try:
            parsed = parse_datetime(value)
        except ValueError:
            parsed = None
        if parsed is None:
            try:
                parsed = datetime.datetime.combine(
                    datetime.date.fromisoformat(value), datetime.time.max
                )
            except ValueError:
                raise CommandError(
                    f"--known-at must be a date and time like 2019-01-21T10:00, not {value!r}"
                ) from None
        if timezone.is_naive(parsed):
            parsed = timezone.make_aware(parsed)
        return parsed

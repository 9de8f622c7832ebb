from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import ngettext

from recommendations.integrity import check_integrity


class Command(BaseCommand):
    help = (
        "Check that what is stored agrees with itself: every published appendix's PDF still has "
        "its recorded SHA-256, and building it again for its D and K gives the same HTML and PDF; "
        "every recommendation's stored current status and last update date are those its updates "
        "give. Prints each difference and exits non-zero when there is any. Changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-render",
            action="store_true",
            help="Only check each published PDF against its SHA-256, without rendering it again "
            "(quicker with many published appendices).",
        )

    def handle(self, *args, no_render: bool, **options):
        report = check_integrity(render=not no_render)
        checked = (
            ngettext(
                "%(count)d published appendix", "%(count)d published appendices", report.appendices
            )
            % {"count": report.appendices}
            + " and "
            + ngettext(
                "%(count)d recommendation", "%(count)d recommendations", report.recommendations
            )
            % {"count": report.recommendations}
        )
        if report.clean:
            self.stdout.write(f"Checked {checked}: everything agrees.")
            return
        for difference in report.differences:
            self.stderr.write(difference)
        count = len(report.differences)
        raise CommandError(
            ngettext(
                "Checked %(checked)s: %(count)d difference.",
                "Checked %(checked)s: %(count)d differences.",
                count,
            )
            % {"checked": checked, "count": count}
        )

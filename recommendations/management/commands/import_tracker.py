from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError
from django.utils.translation import ngettext

from recommendations.trackers.applying import IMPORT_STEPS, import_tracker
from recommendations.trackers.problems import TrackerFileError


class Command(BaseCommand):
    help = (
        "Import a tracker spreadsheet (.csv or .xlsx, in the format of docs/tracker-format.md). "
        "The whole file is imported or, when any row has a problem, nothing is; every problem is "
        "printed with its row and column. Importing the same file again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The .csv or .xlsx file to import.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Say what the import would do, and change nothing.",
        )
        parser.add_argument(
            "--user",
            metavar="USERNAME",
            help="Who the changes are recorded against in the audit history (and the author of "
            "new progress updates). Required unless --dry-run.",
        )

    def handle(self, *args, path: str, dry_run: bool, user: str | None, **options):
        importer = self.get_user(user, dry_run=dry_run)
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"There is no file at {path}")
        bar = self.progress_bar()
        try:
            plan = import_tracker(
                file.read_bytes(),
                file.name,
                user=importer,
                dry_run=dry_run,
                progress=bar.step if bar else lambda step: None,
            )
        except TrackerFileError as error:
            for problem in error.problems:
                self.stderr.write(str(problem))
            count = len(error.problems)
            if bar:
                bar.close()
            raise CommandError(
                ngettext(
                    "Nothing was imported: the file has %(count)d problem.",
                    "Nothing was imported: the file has %(count)d problems.",
                    count,
                )
                % {"count": count}
            ) from None
        except IntegrityError:
            if bar:
                bar.close()
            raise CommandError(
                "Nothing was imported: someone else changed the same records while the file was "
                "being imported. Run the command again."
            ) from None
        if bar:
            bar.close()
        if dry_run:
            self.stdout.write(f"Dry run, nothing changed: {plan.summary(dry_run=True)}")
        else:
            self.stdout.write(plan.summary())

    def progress_bar(self) -> "_StepBar | None":
        """A progress bar of the import's steps, on a terminal only (not in a log or a pipe)."""
        if not self.stdout.isatty():
            return None
        return _StepBar(self.stdout._out)

    def get_user(self, username: str | None, *, dry_run: bool):
        User = get_user_model()
        if username is None:
            if dry_run:
                return None
            raise CommandError(
                "Say who is importing with --user USERNAME: the changes are recorded against them."
            )
        try:
            return User.objects.get(username=username)
        except User.DoesNotExist:
            raise CommandError(f"There is no user called '{username}'") from None


class _StepBar:
    """tqdm's bar over IMPORT_STEPS, named by the step under way."""

    def __init__(self, stream):
        from tqdm import tqdm

        self.bar = tqdm(total=len(IMPORT_STEPS), file=stream, unit="step", leave=True)

    def step(self, number: int) -> None:
        self.bar.set_description_str(IMPORT_STEPS[number - 1])
        self.bar.update(
            number - self.bar.n if number == len(IMPORT_STEPS) else number - 1 - self.bar.n
        )

    def close(self) -> None:
        self.bar.close()

"""Plain helpers that make the records tests need, with sensible defaults."""

import datetime
import itertools
from binascii import unhexlify

from django.contrib.auth.models import Group
from django.utils import timezone
from django_otp.oath import hotp
from django_otp.plugins.otp_totp.models import TOTPDevice

from recommendations.choices import Status
from recommendations.models import Outcome, ProgressUpdate, Recommendation, UpdateDecision
from reviews.models import Committee, Meeting, Organisation, Review, User, WorkProgrammeItem

_sequence = itertools.count(1)


def make_organisation(name: str | None = None, **fields) -> Organisation:
    return Organisation.objects.create(name=name or f"Organisation {next(_sequence)}", **fields)


def make_user(username: str | None = None, *, role: str | None = None, **fields) -> User:
    user = User.objects.create_user(
        username=username or f"user{next(_sequence)}", password="password", **fields
    )
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


# A test-only authenticator secret (RFC 6238's example key), never a real one.
TEST_AUTHENTICATOR_KEY = "3132333435363738393031323334353637383930"


def give_authenticator(user: User, key: str = TEST_AUTHENTICATOR_KEY) -> TOTPDevice:
    """A confirmed authenticator app for `user`, as if they had set it up."""
    return TOTPDevice.objects.create(user=user, name="Authenticator app", key=key, confirmed=True)


def authenticator_code(key: str = TEST_AUTHENTICATOR_KEY, *, steps_ahead: int = 0) -> str:
    """The code an authenticator app with `key` shows now (or `steps_ahead` 30-second steps on)."""
    step = int(timezone.now().timestamp()) // 30 + steps_ahead
    return f"{hotp(unhexlify(key), step):06d}"


def make_committee(name: str | None = None, **fields) -> Committee:
    return Committee.objects.create(name=name or f"Committee {next(_sequence)}", **fields)


def make_review(
    title: str | None = None, *, committee: Committee | None = None, **fields
) -> Review:
    return Review.objects.create(
        title=title or f"Review {next(_sequence)}",
        committee=committee or make_committee(),
        **fields,
    )


def make_meeting(*, committee: Committee, date: datetime.date) -> Meeting:
    return Meeting.objects.create(committee=committee, date=date)


def make_progress_report_item(*, review: Review, meeting: Meeting | None) -> WorkProgrammeItem:
    return WorkProgrammeItem.objects.create(
        committee=review.committee,
        meeting=meeting,
        review=review,
        kind=WorkProgrammeItem.Kind.PROGRESS_REPORT,
        title=f"Progress report on {review.title}",
    )


def make_recommendation(
    number: str | None = None, *, review: Review | None = None, **fields
) -> Recommendation:
    fields.setdefault("text", "That the council does something useful.")
    return Recommendation.objects.create(
        review=review or make_review(), number=number or str(next(_sequence)), **fields
    )


def make_update(
    recommendation: Recommendation,
    *,
    as_at: datetime.date,
    status: str = Status.ON_TRACK,
    author: User | None = None,
    recorded_at: datetime.datetime | None = None,
    narrative: str = "Work continues.",
    accepted: bool = True,
) -> ProgressUpdate:
    """An update, accepted by its author when it was recorded unless `accepted` is False (then
    submitted, waiting for the scrutiny officer)."""
    update = ProgressUpdate.objects.create(
        recommendation=recommendation,
        as_at=as_at,
        status=status,
        narrative=narrative,
        author=author or make_user(),
        recorded_at=recorded_at or timezone.now(),
    )
    if accepted:
        update.accept(by=update.author, at=update.recorded_at)
    return update


def accept_all(updates) -> None:
    """Accept bulk-created updates, each by its author when it was recorded, in one statement
    (without refreshing the stored status: the caller does that, as after any bulk write)."""
    UpdateDecision.objects.bulk_create(
        UpdateDecision(
            update=update,
            outcome=Outcome.ACCEPTED,
            decided_by_id=update.author_id,
            decided_at=update.recorded_at,
        )
        for update in updates
    )


# Tracker files (CSV) for import tests.
TRACKER_COLUMNS = [
    "review",
    "committee",
    "number",
    "recommendation",
    "lead",
    "partners",
    "response",
    "response_text",
    "target_date",
    "revised_target_date",
    "revision_reason",
    "update_date",
    "update_status",
    "update_text",
]


def tracker_row(**cells) -> dict:
    """One row of a tracker file: a recommendation of the potholes review unless told otherwise."""
    row = dict.fromkeys(TRACKER_COLUMNS, "")
    row.update(
        review="Review of potholes",
        committee="Economy and Enterprise Overview and Scrutiny Committee",
        number="1",
        recommendation="That the council fills the potholes within a week of their report.",
    )
    row.update(cells)
    return row


def tracker_csv(*rows: dict, columns: list[str] | None = None, bom: bool = False) -> bytes:
    """A CSV tracker file of `rows` (dicts of column -> text) with the given header."""
    import csv
    import io

    columns = columns or TRACKER_COLUMNS
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(column, "") for column in columns])
    return (b"\xef\xbb\xbf" if bom else b"") + buffer.getvalue().encode("utf-8")


def bulk_recommendations(
    count: int, *, reviews: int, today: datetime.date, author: User
) -> list[Recommendation]:
    """`count` recommendations over `reviews` new reviews, in a few queries (no history rows).

    A mix of everything the dashboard and register count: statuses, overdue and future targets,
    reviews awaiting a response, priorities, closures, and a next meeting with progress reports.
    """
    batch = next(_sequence)
    committee = make_committee(f"Bulk committee {batch}")
    past = make_meeting(committee=committee, date=today - datetime.timedelta(days=40))
    coming = make_meeting(committee=committee, date=today + datetime.timedelta(days=10))
    made = Review.objects.bulk_create(
        Review(
            committee=committee,
            title=f"Bulk review {batch}-{n}",
            status=Review.Status.AWAITING_RESPONSE if n % 3 == 0 else Review.Status.MONITORING,
            report_to_executive_date=today - datetime.timedelta(days=30 * (n % 5)),
        )
        for n in range(reviews)
    )
    for review in made[:3]:
        make_progress_report_item(review=review, meeting=past)
        make_progress_report_item(review=review, meeting=coming)
    recommendations = Recommendation.objects.bulk_create(
        Recommendation(
            review=made[n % reviews],
            number=str(n + 1),
            sort_key=str(n + 1).zfill(10),
            text=f"That the council improves service {n}.",
            target_date=today + datetime.timedelta(days=(n % 7 - 3) * 30),
            is_priority=n % 4 == 0,
            response="awaiting" if n % 5 == 0 else "accepted",
            closure="implemented" if n % 11 == 0 else "",
            closed_at_meeting=past if n % 11 == 0 else None,
        )
        for n in range(count)
    )
    statuses = list(Status)
    updates = ProgressUpdate.objects.bulk_create(
        ProgressUpdate(
            recommendation=recommendation,
            as_at=today - datetime.timedelta(days=(n % 9) * 20),
            status=statuses[n % len(statuses)],
            narrative=f"Progress on service {n}.",
            author=author,
            recorded_at=timezone.now() - datetime.timedelta(days=(n % 9) * 20),
        )
        for n, recommendation in enumerate(recommendations)
        if n % 3
    )
    accept_all(updates)
    # bulk_create skips ProgressUpdate.save(), which keeps the stored current status.
    Recommendation.objects.filter(pk__in=[r.pk for r in recommendations]).refresh_current_status()
    return recommendations

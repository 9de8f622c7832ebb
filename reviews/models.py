"""The committee world: organisations, committees, meetings, reviews and the work programme.

Nothing here knows about recommendations; the recommendations app builds on these.
"""

import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.utils.formats import date_format
from simple_history.models import HistoricalRecords

from scrutiny.dates import add_months, validate_in_range
from scrutiny.text import SingleLineField

RESPONSE_PERIOD_MONTHS = 2  # Local Government Act 2000, s.9FE


def latest_report_date_with_response_overdue(today: datetime.date) -> datetime.date:
    """The last report-to-executive date whose response due date is before `today`.

    Due dates are monotonic in the report date, so "due before today" is exactly "reported on or
    before this date": a database can filter on it without computing month arithmetic itself.
    """
    candidate = add_months(today, -RESPONSE_PERIOD_MONTHS)
    while candidate > datetime.date.min and add_months(candidate, RESPONSE_PERIOD_MONTHS) >= today:
        candidate -= datetime.timedelta(days=1)
    return candidate


class Organisation(models.Model):
    class Kind(models.TextChoices):
        COUNCIL_SERVICE = "council_service", "Council service"
        PARTNERSHIP = "partnership", "Partnership"
        POLICE = "police", "Police"
        EDUCATION = "education", "Education"
        VOLUNTARY = "voluntary", "Voluntary"
        NATIONAL_AGENCY = "national_agency", "National agency"
        OTHER = "other", "Other"

    name = SingleLineField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person who signs in. An officer belongs to at most one organisation."""

    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="members"
    )
    # Who this person is at the council's identity provider (reviews/sign_in/oidc.py): the
    # issuer and its `sub` claim, set at the first sign-in through it. Blank for password users.
    identity_issuer = models.CharField(max_length=255, blank=True, editable=False)
    identity_subject = models.CharField(max_length=255, blank=True, editable=False)
    # Groups are the roles (Councillor, Officer, Scrutiny officer): their changes are kept with
    # values, like any other field. Change them from the user's side (`user.groups.add`, the user
    # admin): simple-history cannot record a change made from the group's side
    # (`group.user_set.add`) and raises (django-simple-history issue 1048). Signing in saves
    # last_login without a history row (reviews/apps.py).
    # Counts the changes of this user's roles (groups, staff, superuser, active). It is part of
    # the session's hash, so a change ends every session the user has: the next request of each
    # is signed out (reviews/sign_in/sessions.py bumps it). Bookkeeping, not history.
    session_generation = models.PositiveIntegerField(default=0, editable=False)
    history = HistoricalRecords(
        excluded_fields=["password", "last_login", "session_generation"],
        m2m_fields=["groups", "user_permissions"],
    )

    # The flags that give or take away access; a change of any of them is a change of role.
    ROLE_FLAGS = ("is_active", "is_staff", "is_superuser")

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        constraints = [
            models.UniqueConstraint(
                fields=["identity_issuer", "identity_subject"],
                condition=~models.Q(identity_subject=""),
                name="one_user_per_provider_identity",
            )
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        user = super().from_db(db, field_names, values, **kwargs)
        user._role_flags_as_loaded = user._role_flags()
        return user

    def _role_flags(self) -> tuple:
        # Read from __dict__ so that a deferred flag is not fetched just to be compared.
        return tuple(self.__dict__.get(name) for name in self.ROLE_FLAGS)

    def save(self, *args, **kwargs):
        as_loaded = getattr(self, "_role_flags_as_loaded", None)
        if as_loaded is not None and as_loaded != self._role_flags():
            self.session_generation += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "session_generation"}
        super().save(*args, **kwargs)
        self._role_flags_as_loaded = self._role_flags()

    def get_session_auth_hash(self) -> str:
        """Django's hash of the password, with the roles' generation in it: a change of password
        or of role makes every session the user has fail Django's check, and end."""
        return self._session_auth_hash()

    def get_session_auth_fallback_hash(self):
        # Sessions signed while an old SECRET_KEY was current (SECRET_KEY_FALLBACKS).
        for secret in settings.SECRET_KEY_FALLBACKS:
            yield self._session_auth_hash(secret)

    def _session_auth_hash(self, secret=None) -> str:
        return salted_hmac(
            "reviews.User.get_session_auth_hash",
            f"{self.password}:{self.session_generation}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()


class Committee(models.Model):
    name = SingleLineField(max_length=200, unique=True)
    chair = SingleLineField(max_length=200, blank=True)
    vice_chair = SingleLineField(max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("recommendations:show_committee", args=[self.pk])


class MeetingQuerySet(models.QuerySet):
    def upcoming(self, today: datetime.date):
        return self.filter(date__gte=today).order_by("date")

    def past(self, today: datetime.date):
        return self.filter(date__lt=today).order_by("-date")


class Meeting(models.Model):
    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="meetings")
    date = models.DateField(validators=[validate_in_range])
    title = SingleLineField(
        max_length=200, blank=True, help_text="For example, Special meeting on the budget."
    )
    # Incremented on every edit through the application, so a stale form cannot overwrite.
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "date"], name="one_meeting_per_committee_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.committee} — {date_format(self.date)}"

    def get_absolute_url(self) -> str:
        return reverse("recommendations:show_meeting", args=[self.pk])


def review_response_overdue_condition(today: datetime.date) -> models.Q:
    """Still awaiting the executive's response after the two months the law allows."""
    return models.Q(
        status=Review.Status.AWAITING_RESPONSE,
        report_to_executive_date__lte=latest_report_date_with_response_overdue(today),
    )


class ReviewQuerySet(models.QuerySet):
    def public(self):
        """Reviews the scrutiny officer has marked public: the only ones the public site and the
        open data ever show."""
        return self.filter(is_public=True)

    def response_overdue(self, today: datetime.date):
        """Reviews still awaiting the executive's response after the two months the law allows."""
        return self.filter(review_response_overdue_condition(today))

    def with_flags(self, today: datetime.date):
        """Each review with `is_response_overdue`, from the same condition."""
        return self.annotate(
            is_response_overdue=models.Case(
                models.When(review_response_overdue_condition(today), then=models.Value(True)),
                default=models.Value(False),
            )
        )


class Review(models.Model):
    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", "In progress"
        AWAITING_RESPONSE = "awaiting_response", "Awaiting response"
        MONITORING = "monitoring", "Monitoring"
        CLOSED = "closed", "Closed"

    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="reviews")
    title = SingleLineField(max_length=300, unique=True)
    chaired_by = SingleLineField("chaired by", max_length=200, blank=True)
    municipal_year = SingleLineField(
        max_length=7, blank=True, help_text="The municipal year of the review, for example 2017/18."
    )
    report_to_executive_date = models.DateField(
        "report to executive",
        null=True,
        blank=True,
        help_text="When the review's report went to cabinet.",
        validators=[validate_in_range],
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.IN_PROGRESS)
    is_public = models.BooleanField(
        "public",
        default=False,
        help_text="Shown on the public site and in the open data, without signing in.",
    )
    # Incremented on every edit through the application, so a stale form cannot overwrite.
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-report_to_executive_date", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("recommendations:show_review", args=[self.pk])

    @property
    def response_due_date(self) -> datetime.date | None:
        if self.report_to_executive_date is None:
            return None
        return add_months(self.report_to_executive_date, RESPONSE_PERIOD_MONTHS)


class WorkProgrammeItemQuerySet(models.QuerySet):
    def last_progress_report_date(self, *, review, before: datetime.date):
        """The date of the latest meeting before `before` with a progress report on `review` (a
        review, or an OuterRef to one), as a one-value queryset to use in a Subquery."""
        return (
            self.filter(
                review=review,
                kind=WorkProgrammeItem.Kind.PROGRESS_REPORT,
                meeting__date__lt=before,
            )
            .order_by()
            .annotate(latest=models.Func(models.F("meeting__date"), function="MAX"))
            .values("latest")
        )


class WorkProgrammeItem(models.Model):
    """Something a committee has put on a meeting's agenda, such as a progress report on a review."""

    class Kind(models.TextChoices):
        PROGRESS_REPORT = "progress_report", "Progress report"
        OTHER = "other", "Other item"

    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="work_programme_items"
    )
    meeting = models.ForeignKey(
        Meeting,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="work_programme_items",
        help_text="Leave blank while the item is not yet scheduled for a meeting.",
    )
    review = models.ForeignKey(
        Review,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="work_programme_items",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PROGRESS_REPORT)
    title = SingleLineField(max_length=300)
    # Incremented on every edit through the application, so a stale form cannot overwrite.
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    objects = WorkProgrammeItemQuerySet.as_manager()

    class Meta:
        ordering = ["meeting__date", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        """Where the item is listed: its meeting's page, or its committee's while unscheduled."""
        return (self.meeting or self.committee).get_absolute_url()

    def clean(self):
        """An item, its meeting and its review belong to one committee (every door: the pages,
        the admin). The admin's meeting inline fills in the committee after validation, so the
        meeting's committee stands in for it there."""
        super().clean()
        committee_id = self.committee_id
        if committee_id is None and self.meeting_id is not None:
            committee_id = self.meeting.committee_id
        if committee_id is None:
            return
        errors = {}
        if self.meeting_id is not None and self.meeting.committee_id != committee_id:
            errors["meeting"] = "Choose a meeting of the item's committee"
        if self.review_id is not None and self.review.committee_id != committee_id:
            errors["review"] = "Choose a review of the item's committee"
        if errors:
            raise ValidationError(errors)

"""A dated statement of progress on one recommendation: append-only."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.formats import date_format

from scrutiny.dates import validate_in_range, validate_not_in_future
from scrutiny.text import LONG_TEXT_MAX, long_text_validator

from ..choices import Status
from .append_only import AppendOnlyModel, AppendOnlyQuerySet
from .recommendation import DERIVED_FIELDS, Recommendation


class Outcome(models.TextChoices):
    ACCEPTED = "accepted", "Accepted"
    RETURNED = "returned", "Returned"


class ProgressUpdateQuerySet(AppendOnlyQuerySet):
    def accepted(self):
        """Those the scrutiny officer accepted (or that were accepted at once): the only ones
        that count, for the current status, the dashboard, the register and the appendix."""
        return self.filter(decision__outcome=Outcome.ACCEPTED)

    def accepted_by(self, moment):
        """Those accepted at or before `moment`: what was known then (the appendix's K)."""
        return self.accepted().filter(decision__decided_at__lte=moment)

    def submitted(self):
        """Those waiting for the scrutiny officer's decision."""
        return self.filter(decision__isnull=True)

    def submitted_count(self) -> int:
        """How many of all the updates wait for a decision: every update less every decision.
        Exact, because a decision is of exactly one update (a one-to-one field) and neither is
        ever deleted (both are append-only); and two counts of a primary key's index, where
        matching a million updates with their decisions took a second. On a filtered set the
        difference would be wrong: that is counted the plain way."""
        if self.query.has_filters():
            return self.submitted().count()
        decisions = self.model._meta.get_field("decision").related_model.objects
        return self.count() - decisions.count()

    def returned(self):
        return self.filter(decision__outcome=Outcome.RETURNED)


class AlreadyDecided(Exception):
    """A second decision on an update that has one; `decision` is the first."""

    def __init__(self, decision):
        super().__init__(f"This update was already {decision.get_outcome_display().lower()}.")
        self.decision = decision


class ProgressUpdate(AppendOnlyModel):
    append_only_message = "Progress updates cannot be changed; record a new update instead."

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.PROTECT, related_name="updates"
    )
    as_at = models.DateField(
        "date", help_text="The date this update speaks for.", validators=[validate_in_range]
    )
    status = models.CharField(max_length=20, choices=Status.choices)
    narrative = models.TextField(
        "progress update", max_length=LONG_TEXT_MAX, validators=[long_text_validator()]
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="progress_updates"
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    # A Slipped update's revised target date and reason, as its author gave them: applied to the
    # recommendation when the update is accepted (at once, or by the scrutiny officer).
    revised_target_date = models.DateField(null=True, blank=True, editable=False)
    revision_reason = models.TextField(
        blank=True, editable=False, max_length=LONG_TEXT_MAX, validators=[long_text_validator()]
    )

    objects = ProgressUpdateQuerySet.as_manager()

    class Meta:
        ordering = ["-as_at", "-recorded_at", "-pk"]
        indexes = [
            # The newest update of each recommendation, and its status, straight from the index:
            # refresh_current_status() looks it up this way for every recommendation it sets, so
            # the order matches it exactly (pk included) and the status is in the index.
            models.Index(
                fields=["recommendation", "-as_at", "-recorded_at", "-id", "status"],
                name="update_newest_first_status",
            ),
            # "Updates recorded in the last 30 days" on the dashboard and in the register.
            models.Index(fields=["recorded_at"], name="update_recorded_at"),
            # And which recommendations those are, from the index alone at any size.
            models.Index(fields=["recorded_at", "recommendation"], name="update_recorded_for"),
            # Each recommendation's most recently recorded update (its stored last_recorded_at):
            # without it PostgreSQL may find that MAX by walking the whole update_recorded_at
            # index once for every recommendation it refreshes.
            models.Index(fields=["recommendation", "-recorded_at"], name="update_recorded_newest"),
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()} as at {date_format(self.as_at)}"

    @staticmethod
    def validate_as_at(as_at, *, today=None) -> None:
        """The rule for the date an update speaks for, beyond its field's range: it has come.
        Raises ValidationError. The tracker import calls it for each row with one `today`."""
        validate_not_in_future(as_at, today or timezone.localdate())

    def clean(self):
        super().clean()
        try:
            self.validate_as_at(self.as_at)
        except ValidationError as error:
            raise ValidationError({"as_at": error}) from None

    @property
    def status_choice(self) -> Status:
        return Status(self.status)

    @property
    def decision_or_none(self) -> "UpdateDecision | None":
        try:
            return self.decision
        except UpdateDecision.DoesNotExist:
            return None

    @property
    def state(self) -> str:
        """ "submitted", "accepted" or "returned"."""
        decision = self.decision_or_none
        return decision.outcome if decision else "submitted"

    def accept(self, *, by, at=None) -> "UpdateDecision":
        return self.decide(outcome=Outcome.ACCEPTED, by=by, at=at)

    def return_to_author(self, *, by, comment: str) -> "UpdateDecision":
        return self.decide(outcome=Outcome.RETURNED, by=by, comment=comment)

    def decide(self, *, outcome: str, by, comment: str = "", at=None) -> "UpdateDecision":
        """Record the one decision on this update. Raises ValidationError when returning without
        a comment, and AlreadyDecided (carrying the first decision) when it has one: the unique
        constraint on the update is what settles two clerks deciding at once."""
        first = UpdateDecision.objects.select_related("decided_by").filter(update=self).first()
        if first is not None:
            raise AlreadyDecided(first)
        decision = UpdateDecision(
            update=self,
            outcome=outcome,
            decided_by=by,
            comment=comment.strip(),
            decided_at=at or timezone.now(),
        )
        decision.full_clean(exclude=["update", "decided_by"], validate_unique=False)
        try:
            with transaction.atomic():
                decision.save()
        except IntegrityError:
            raise AlreadyDecided(
                UpdateDecision.objects.select_related("decided_by").get(update=self)
            ) from None
        self.decision = decision
        return decision


class UpdateDecision(AppendOnlyModel):
    """The scrutiny officer's decision on one progress update: accepted, or returned with a
    comment saying what is missing. Beside the update, never an edit of it; one per update."""

    append_only_message = "Decisions on updates cannot be changed."

    update = models.OneToOneField(ProgressUpdate, on_delete=models.PROTECT, related_name="decision")
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="update_decisions"
    )
    decided_at = models.DateTimeField(default=timezone.now)
    comment = models.TextField(
        "what is missing", blank=True, max_length=LONG_TEXT_MAX, validators=[long_text_validator()]
    )

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(outcome=Outcome.RETURNED, comment=""),
                name="returned_update_has_comment",
                violation_error_message="Say what is missing from the update to return it.",
            ),
        ]
        indexes = [models.Index(fields=["outcome", "decided_at"], name="decision_outcome_time")]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} on {date_format(self.decided_at)}"

    def _apply_revision(self) -> None:
        """The accepted update's revised target date and reason, onto its recommendation, with
        history in the name of the update's author."""
        update = self.update
        recommendation = Recommendation.objects.select_for_update().get(pk=update.recommendation_id)
        recommendation.revised_target_date = update.revised_target_date
        recommendation.revision_reason = update.revision_reason
        recommendation.version += 1
        recommendation._history_user = update.author
        recommendation.save(update_fields=["revised_target_date", "revision_reason", "version"])
        if update.__class__.recommendation.is_cached(update):
            for name in ["revised_target_date", "revision_reason", "version"]:
                setattr(update.recommendation, name, getattr(recommendation, name))

    def clean(self):
        super().clean()
        if self.outcome == Outcome.RETURNED and not self.comment.strip():
            raise ValidationError({"comment": "Say what is missing from the update to return it."})

    def save(self, *args, **kwargs):
        with transaction.atomic(using=kwargs.get("using")):
            super().save(*args, **kwargs)
            if self.outcome == Outcome.ACCEPTED and self.update.revised_target_date:
                self._apply_revision()
            Recommendation.objects.filter(pk=self.update.recommendation_id).refresh_current_status()
        update = self.update
        if update.__class__.recommendation.is_cached(update):
            # The copy in memory no longer knows its status: defer the derived fields, so that
            # reading them loads them again, and saving it leaves them alone.
            for name in DERIVED_FIELDS:
                update.recommendation.__dict__.pop(name, None)

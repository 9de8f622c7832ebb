"""The register: every recommendation across reviews, filtered, searched and sorted.

`RegisterFilterForm` reads the filters from the query string (so a filtered view can be bookmarked)
and `RegisterFilterForm.filter(queryset, today)` applies them in the database. The register page
uses it, and so can anything else that needs "the register as filtered" (an export, say).
"""

import datetime
import hashlib

from django import forms
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.paginator import Page, Paginator
from django.db import connection, models
from django.db.models import Case, Exists, F, OuterRef, Q, Value, When
from django.utils import timezone
from django.utils.functional import cached_property

from reviews.models import Committee, Organisation, Review
from scrutiny.forms import Form, GovUKCheckboxes, GovUKSelect, ModelChoiceField

from ..choices import Status
from ..models import SEARCH_CONFIG, ProgressUpdate, Recommendation, remembered

PAGE_SIZE = 50


def recorded_since(today: datetime.date, days: int) -> datetime.datetime:
    """The start of the day `days` days before `today`, in the site's time zone."""
    start = datetime.datetime.combine(today - datetime.timedelta(days=days), datetime.time.min)
    return timezone.make_aware(start)


def recently_updated(today: datetime.date, days: int) -> Q:
    """With an accepted progress update recorded in the last `days` days (today and `days`
    before): a range of the index on the stored `last_recorded_at`, when the most recently
    recorded accepted update was recorded."""
    return Q(last_recorded_at__gte=recorded_since(today, days))


def updated_recently(queryset, today: datetime.date, days: int):
    """Those with a progress update recorded in the last `days` days (today and `days` before)."""
    return queryset.filter(recently_updated(today, days))


class Flag(models.TextChoices):
    OPEN = "open", "Open (not yet closed by the committee)"
    OVERDUE = "overdue", "Overdue"
    STALE = "stale", "Stale (no update since the last progress report)"
    RESPONSE_OVERDUE = "response_overdue", "Response overdue"
    PRIORITY = "priority", "Priority"


class Sort(models.TextChoices):
    REVIEW = "review", "Review and number"
    LEAD = "lead", "Lead"
    TARGET = "target", "Target date"
    STATUS = "status", "Status"
    UPDATED = "updated", "Last update"


SORT_CHOICES = [
    ("", "Default"),
    ("relevance", "Relevance"),
    *[(code, label) for code, label in Sort.choices],
    *[(f"-{code}", f"{label} (descending)") for code, label in Sort.choices],
]

# Statuses in the order people read them, for sorting by status.
STATUS_ORDER = Case(
    *[When(current_status=status.value, then=Value(index)) for index, status in enumerate(Status)],
    output_field=models.IntegerField(),
)

UPDATED_WITHIN_CHOICES = [("", "Any time"), ("7", "7 days"), ("30", "30 days"), ("90", "90 days")]


class RegisterFilterForm(Form):
    q = forms.CharField(
        label="Search",
        required=False,
        max_length=200,
        help_text="Words in the recommendation or its progress updates",
        error_messages={"max_length": "Search must be 200 characters or fewer"},
    )
    committee = ModelChoiceField(
        Committee.objects.order_by("name"),
        required=False,
        empty_label="All committees",
        error_messages={"invalid_choice": "Select a committee from the list"},
    )
    # One review, by id: the links from a review's page and the dashboard set it, and the page
    # shows which it is with a link to remove it. Not a drop-down: a large register has
    # thousands of reviews, too many to draw in every page; `review_title` finds them by title.
    review = ModelChoiceField(
        Review.objects.all(),
        required=False,
        widget=forms.HiddenInput,
        error_messages={
            "invalid_choice": "Select a review from the list of reviews, or search review titles"
        },
    )
    review_title = forms.CharField(
        label="Review title",
        required=False,
        max_length=300,
        help_text="Words in the title of the review",
        error_messages={"max_length": "Review title must be 300 characters or fewer"},
    )
    lead = ModelChoiceField(
        Organisation.objects.order_by("name"),
        label="Lead organisation",
        required=False,
        empty_label="All organisations",
        error_messages={"invalid_choice": "Select a lead organisation from the list"},
    )
    status = forms.MultipleChoiceField(
        label="Status",
        choices=Status.choices,
        required=False,
        widget=GovUKCheckboxes,
        error_messages={"invalid_choice": "Select statuses from the list"},
    )
    show = forms.MultipleChoiceField(
        label="Only show",
        choices=Flag.choices,
        required=False,
        widget=GovUKCheckboxes,
        error_messages={"invalid_choice": "Select what to show from the list"},
    )
    updated_within = forms.ChoiceField(
        label="Progress update recorded in the last",
        choices=UPDATED_WITHIN_CHOICES,
        required=False,
        widget=GovUKSelect,
        error_messages={"invalid_choice": "Select a period from the list"},
    )
    # Set by the column headers' links, not by a field people fill in; an unknown order in the
    # address is a form-wide error, since there is no field to put it beside.
    sort = forms.CharField(required=False, widget=forms.HiddenInput)

    ranked = False  # whether filter() ordered by search relevance
    rank = None  # and if so, the relevance (the `search_rank` of each row)

    def clean_q(self) -> str:
        return " ".join(self.cleaned_data["q"].split())

    def clean_review_title(self) -> str:
        return " ".join(self.cleaned_data["review_title"].split())

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("sort") not in {None, *dict(SORT_CHOICES)}:
            del cleaned_data["sort"]
            self.add_error(
                None,
                "The sort order in the address is not one we know: sort the table by its column headers",
            )
        return cleaned_data

    @property
    def chosen_review(self) -> Review | None:
        """The review the register is filtered to, when the address names one that exists."""
        if not self.is_bound or "review" in self.errors:
            return None
        return self.cleaned_data.get("review")

    @property
    def search_terms(self) -> str:
        return self.cleaned_data.get("q", "") if self.is_bound and self.is_valid() else ""

    def filter(self, queryset, today: datetime.date):
        """Apply the (valid) filters, search and sort order to a Recommendation queryset.

        Every row gets `current_status` and `last_update_date`; with a search on PostgreSQL, also
        `search_rank`. Call only when the form is valid.
        """
        data = self.cleaned_data
        queryset = queryset.with_effective_target()
        if data.get("committee"):
            queryset = queryset.filter(review__committee=data["committee"])
        if data.get("review"):
            queryset = queryset.filter(review=data["review"])
        for word in data.get("review_title", "").split():
            queryset = queryset.filter(review__title__icontains=word)
        if data.get("lead"):
            queryset = queryset.filter(lead_organisation=data["lead"])
        if data.get("status"):
            queryset = queryset.filter(current_status__in=data["status"])
        flags = set(data.get("show") or ())
        if Flag.OPEN in flags:
            queryset = queryset.open()
        if Flag.PRIORITY in flags:
            queryset = queryset.filter(is_priority=True)
        # The named querysets are the one definition of each word; the dashboard counts use them too.
        # As conditions on the rows themselves, so that the database can use the partial
        # indexes made for them.
        if Flag.OVERDUE in flags:
            queryset = queryset.overdue(today)
        if Flag.STALE in flags:
            queryset = queryset.stale(today)
        if Flag.RESPONSE_OVERDUE in flags:
            queryset = queryset.response_overdue(today)
        if data.get("updated_within"):
            queryset = updated_recently(queryset, today, int(data["updated_within"]))
        self.ranked, self.rank = False, None
        if data.get("q"):
            queryset, self.rank = search(queryset, data["q"])
            self.ranked = self.rank is not None
        return queryset.order_by(*self.ordering(self.ranked))

    def page(self, number, today: datetime.date) -> Page:
        """Page `number` of the register as filtered, its rows with the flags of
        `with_flags(today)` and their review and lead organisation.

        The database counts and orders the matching ids alone, and computes the flags only for
        the page's rows, found by those ids (a subquery): two queries whatever the size.
        """
        ids = self.filter(Recommendation.objects.all(), today).values("pk")
        page = CountRemembered(ids, PAGE_SIZE).get_page(number)
        rows = (
            Recommendation.objects.with_flags(today)
            .select_related("lead_organisation")
            .filter(pk__in=page.object_list)
        )
        if self.ranked:
            rows = rows.annotate(search_rank=self.rank)
        page.object_list = list(rows.order_by(*self.ordering(self.ranked)))
        return page

    def ordering(self, ranked: bool) -> list:
        sort = self.cleaned_data.get("sort") or ("relevance" if ranked else Sort.REVIEW)
        if sort == "relevance":
            if ranked:
                return [F("search_rank").desc(), "review__title", "sort_key"]
            sort = Sort.REVIEW
        descending = sort.startswith("-")
        key = sort.lstrip("-")

        def by(expression):
            expression = F(expression) if isinstance(expression, str) else expression
            if descending:
                return expression.desc(nulls_last=True)
            return expression.asc(nulls_last=True)

        tiebreak = ["review__title", "sort_key", "pk"]
        return {
            Sort.REVIEW: [by("review__title"), by("sort_key"), "pk"],
            Sort.LEAD: [by("lead_organisation__name"), *tiebreak],
            Sort.TARGET: [by("effective_target"), *tiebreak],
            Sort.STATUS: [by(STATUS_ORDER), *tiebreak],
            Sort.UPDATED: [by("last_update_date"), *tiebreak],
        }[Sort(key)]

    def current_sort(self) -> str:
        if self.is_bound and self.is_valid():
            return self.cleaned_data.get("sort") or ""
        return ""


class CountRemembered(Paginator):
    """Counts the matching rows once per change of the register: the count reads every matching
    row (tens to hundreds of milliseconds at 200,000), the page only its fifty. Cached under the
    exact SQL of the count, whose parameters include any date a filter compares with."""

    @cached_property
    def count(self) -> int:
        sql, params = self.object_list.query.sql_with_params()
        digest = hashlib.sha256(repr((sql, params)).encode()).hexdigest()
        return remembered(f"register-count:{digest}", lambda: Paginator.count.func(self))


def search(queryset, terms: str):
    """Match the recommendation's text or any of its update narratives: (the queryset, the
    relevance it is annotated with as `search_rank`, or None where there is none).

    On PostgreSQL, against the stored `search_document` (the text and every narrative, kept up
    to date by the model and indexed), so no row's document is built at request time.
    """
    if connection.vendor == "postgresql":
        query = SearchQuery(terms, search_type="websearch", config=SEARCH_CONFIG)
        rank = SearchRank(F("search_document"), query)
        return queryset.filter(search_document=query).annotate(search_rank=rank), rank
    for word in terms.split():
        in_updates = ProgressUpdate.objects.accepted().filter(
            recommendation=OuterRef("pk"), narrative__icontains=word
        )
        queryset = queryset.filter(Q(text__icontains=word) | Exists(in_updates))
    return queryset, None

"""Hostile values for form fields, and the database's state to compare before and after."""

import contextlib
import re

from django.apps import apps
from django.db import connection
from hypothesis import strategies as st

from .forms import FormField

OMIT = object()

# Values that have broken web forms somewhere: numbers out of every integer type's range, numbers
# that are not ASCII digits, control and invisible characters, markup, and text past every limit.
AWKWARD = [
    "",
    " ",
    "0",
    "-1",
    "1.5",
    "1e309",
    "NaN",
    "inf",
    str(2**31),
    str(2**63),
    "-" + str(2**63),
    str(2**64),
    str(2**70),
    "9" * 40,
    "00",
    "0000",
    "٣",  # Arabic-Indic three: isdigit() but not ASCII
    "²",  # superscript two: isdigit() but int() refuses it
    "\U0001d7d9\U0001d7da",  # mathematical double-struck one and two
    "\x00",
    "a\x00b",
    "\u202e1",
    "1\u200b",
    "\ufeff",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "%s%n%x",
    "../../etc/passwd",
    '=HYPERLINK("http://x")',
    "x" * 10_001,
]

hostile_text = st.one_of(
    st.sampled_from(AWKWARD),
    st.text(max_size=30),
    st.integers().map(str),
    st.dates().map(lambda d: d.isoformat()),
)


# A formset's management form: Django bounds a huge form count itself (absolute_max, 2,000 forms
# shown again with "Please submit at most ..."), which only makes the suite slow; so counts stay
# small here, and the hostile values are the ones that are not counts at all.
_FORM_COUNTS = ("-TOTAL_FORMS", "-INITIAL_FORMS", "-MIN_NUM_FORMS", "-MAX_NUM_FORMS")
form_count = st.one_of(
    st.sampled_from(["", " ", "x", "-1", "1.5", "\x00", "\u202e1", "٣"]),
    st.integers(0, 3).map(str),
)


def value_for(field: FormField) -> st.SearchStrategy:
    """Mostly hostile, sometimes what the page offered, sometimes left out altogether."""
    if field.name.endswith(_FORM_COUNTS):
        return st.one_of(form_count, st.just(field.value), st.just(OMIT))
    choices = [hostile_text, st.just(OMIT)]
    if field.value:
        choices.append(st.just(field.value))
    if field.options:
        choices.append(st.sampled_from(field.options))
    one = st.one_of(*choices)
    if field.multiple or (field.kind == "select" and field.options and field.multiple):
        return st.one_of(st.lists(one.filter(lambda v: v is not OMIT), max_size=3), st.just(OMIT))
    return one


def submissions(fields: list[FormField]) -> st.SearchStrategy[dict]:
    """POST (or GET) data for a form: every field present, changed, or left out."""
    return st.fixed_dictionaries(
        {field.name: value_for(field) for field in fields if field.kind != "file"}
    ).map(lambda data: {name: value for name, value in data.items() if value is not OMIT})


# Sessions change when anyone signs in, and django-axes records every failed sign-in on purpose.
UNWATCHED_APPS = {"sessions", "axes"}


def database_state() -> dict[str, list[tuple]]:
    """Every row of every table the application owns, in primary-key order."""
    state = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.app_label in UNWATCHED_APPS or meta.proxy or not meta.managed:
            continue
        rows = model._base_manager.order_by("pk").values_list()
        state[meta.label] = [
            tuple(bytes(v) if isinstance(v, memoryview) else v for v in row) for row in rows
        ]
    return state


_WRITE = re.compile(r'^\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)


@contextlib.contextmanager
def writes_recorded():
    """The application tables written to inside the block (sessions and sign-in attempts aside).

    Cheap enough for every example: only a submission that wrote something is compared with the
    world's state, row by row."""
    unwatched = (*(f"{label}_" for label in UNWATCHED_APPS), "django_session")
    tables: list[str] = []

    def record(execute, sql, params, many, context):
        match = _WRITE.match(sql)
        if match and not match.group(2).startswith(unwatched):
            tables.append(match.group(2))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        yield tables

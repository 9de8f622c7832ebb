"""Plain helpers for the tracker tests: files to import, and what an import wrote."""

import io
import zipfile

import openpyxl
import pytest
from django.apps import apps
from django.core.files.storage import Storage, storages

from recommendations.trackers.applying import import_tracker
from recommendations.trackers.problems import TrackerFileError
from tests.factories import make_user

DEMO_REVIEW = "Scrutiny Review of Cybercrime"


def row_counts() -> dict[str, int]:
    """Rows in every table of the two apps, history and many-to-many tables included."""
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label in {"reviews", "recommendations"}
    }


def history_row_count() -> int:
    return sum(count for label, count in row_counts().items() if ".Historical" in label)


def xlsx_values(data: bytes) -> list[tuple]:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    return list(sheet.iter_rows(values_only=True))


def xlsx_file(rows: list[list]) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# "Billion laughs": nine levels of entities, each ten of the one below, unfold to 3 GB of "lol".
ENTITY_BOMB = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n<!ENTITY lol0 "lol">\n'
    + b"".join(
        f'<!ENTITY lol{level} "{f"&lol{level - 1};" * 10}">\n'.encode() for level in range(1, 10)
    )
    + b"]>\n"
)
SHARED_STRINGS_TYPE = (
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
)


def xlsx_with_entity_bomb(part: str) -> bytes:
    """A valid tracker workbook whose sheet or shared strings part carries an entity bomb."""
    workbook = zipfile.ZipFile(
        io.BytesIO(xlsx_file([["review", "number"], ["Review of potholes", "1"]]))
    )
    parts = {name: workbook.read(name) for name in workbook.namelist()}
    if part == "xl/worksheets/sheet1.xml":
        parts[part] = ENTITY_BOMB + parts[part].replace(b"<t>1</t>", b"<t>&lol9;</t>")
    else:
        parts[part] = ENTITY_BOMB + (
            b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" '
            b'uniqueCount="1"><si><t>&lol9;</t></si></sst>'
        )
        # openpyxl writes inline strings: make the sheet use the shared one, and link it.
        sheet = "xl/worksheets/sheet1.xml"
        parts[sheet] = parts[sheet].replace(
            b'<c r="B2" t="inlineStr"><is><t>1</t></is></c>', b'<c r="B2" t="s"><v>0</v></c>'
        )
        rels = "xl/_rels/workbook.xml.rels"
        parts[rels] = parts[rels].replace(
            b"</Relationships>",
            b'<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            b'relationships/sharedStrings" Target="sharedStrings.xml" Id="rId9" /></Relationships>',
        )
        parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
            b"</Types>",
            f'<Override PartName="/{part}" ContentType="{SHARED_STRINGS_TYPE}" /></Types>'.encode(),
        )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def problems_of(data: bytes, name: str = "tracker.csv", user=None) -> list[str]:
    """The problems an import reports, after checking it wrote nothing."""
    before = row_counts()
    with pytest.raises(TrackerFileError) as raised:
        import_tracker(data, name, user=user or make_user())
    after = row_counts()
    after["reviews.User"] = before["reviews.User"]  # the importing user made above
    after["reviews.HistoricalUser"] = before["reviews.HistoricalUser"]
    assert after == before, "a refused import wrote something"
    return [str(problem) for problem in raised.value.problems]


def keep_uploads_in(settings, location) -> Storage:
    """Point the "tracker_uploads" storage at a folder for one test; returns the storage.

    Overriding STORAGES through pytest-django's `settings` sends `setting_changed`, on which
    Django forgets the storages it had made, so the next `storages[...]` uses this folder.
    """
    settings.STORAGES = {
        **settings.STORAGES,
        "tracker_uploads": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(location), "base_url": None},
        },
    }
    return storages["tracker_uploads"]

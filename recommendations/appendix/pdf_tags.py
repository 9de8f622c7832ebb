"""Mend WeasyPrint's table tags on the finished PDF: header scopes, and one table across pages.

WeasyPrint 70 tags a table well within one page but leaves two gaps that the PDF/UA-1 checker
reports and a screen reader trips over (docs/weasyprint-table-tags.md describes them for upstream):

- a header cell (`/TH`) gets no `/Scope`, although the HTML's `th` says `scope="col"` or `"row"`;
- a table that runs over several pages becomes one `/Table` per page, each with its own `/THead`,
  so the header row repeated at the top of each printed page is read out as content again.

Why a step on the finished PDF, with pikepdf, rather than a change to WeasyPrint's tagging: the
tagging code is one long private function (`weasyprint.pdf.tags._build_box_tree`) whose pieces
cannot be replaced one by one, so patching it means copying it; a copy silently drifts from the
version installed. The finished PDF, on the other hand, is a standard format (ISO 32000 structure
tree, parent tree and marked content), and pikepdf (qpdf) is a well-kept library for editing it.
So this module changes only what the standard defines, and checks what it assumes: when the
PDF does not look as expected it logs an error and returns WeasyPrint's PDF unchanged (the tests
fail then, since they run the PDF/UA checker on the output) rather than write a broken one.

The one thing the PDF cannot tell is which `/Table` elements are pieces of the same HTML table,
or what `scope` its `th` said: `table_layout` reads that from WeasyPrint's laid-out pages before
they are written, walking the boxes in the same order as WeasyPrint's tagging walks them, so the
k-th `/Table` (and the k-th `/TH`) of the structure tree is the k-th table (and header cell) of
the layout. The counts are compared before anything is changed.

The mending:

- every `/TH` gets `/A << /O /Table /Scope /Column >>` (or `/Row`), from its `th`'s `scope`
  (WeasyPrint itself treats any `th` without `scope="row"` as a column header when it writes
  `/Headers`, and so does this);
- the pieces of one HTML table after the first are folded into the first: their body rows move
  into its `/TBody`, their data cells' `/Headers` are pointed at its header cells, and their
  `/THead` leaves the structure tree; the marked content of that repeated header is re-marked as
  `/Artifact << /Type /Pagination /Subtype /Header >>` in the page's content stream, and its
  entries in the `/ParentTree` become null (the page keeps its `/StructParents` key); when only
  the caption fitted on the first piece's page, the first header found later is the table's own;
- the file is saved with a deterministic `/ID` (from the content, never random), no timestamps
  added and objects in qpdf's stable order, so the same HTML always gives the same bytes and a
  published appendix re-renders to the same SHA-256.

Content streams are edited as bytes, not parsed: parsing every page with pikepdf took about a
tenth of the render. WeasyPrint writes its text as hex strings, so a `<</MCID n>> BDC` sequence
can only be an operator, never text; each one to re-mark must be found exactly once.
"""

import io
import logging
import re
from collections import defaultdict
from dataclasses import dataclass

import pikepdf
from weasyprint.formatting_structure import boxes
from weasyprint.layout.absolute import AbsolutePlaceholder

logger = logging.getLogger(__name__)

ARTIFACT = b"/Artifact <</Type /Pagination /Subtype /Header>> BDC"
MARKED_CONTENT = re.compile(rb"/[A-Za-z][A-Za-z0-9_.-]*\s*<<\s*/MCID\s+(\d+)\s*>>\s*BDC")
SCOPES = {"row": "/Row", "rowgroup": "/Row"}  # anything else is a column header, as in WeasyPrint


@dataclass(frozen=True)
class TableLayout:
    """What the PDF cannot say about its tables, read from WeasyPrint's laid-out pages.

    `tables`: for each `/Table` structure element in tree order, which HTML table it is part of
    (a number, the same for every piece of one table). `header_scopes`: for each `/TH` in tree
    order, its scope as a PDF name (`/Column` or `/Row`).
    """

    tables: tuple[int, ...]
    header_scopes: tuple[str, ...]


class Unexpected(Exception):
    """The PDF is not shaped as this module expects; nothing is changed."""


def table_layout(document) -> TableLayout:
    """The tables and header cells of a rendered WeasyPrint document, in tagging order."""
    numbers: dict[int, int] = {}
    tables: list[int] = []
    scopes: list[str] = []
    for page in document.pages:
        for box in _boxes(page._page_box):
            if box.is_table_wrapper:
                tables.append(numbers.setdefault(id(box.element), len(numbers)))
            elif isinstance(box, boxes.TableCellBox) and box.element_tag == "th":
                scopes.append(SCOPES.get(box.element.get("scope", "").lower(), "/Column"))
    return TableLayout(tuple(tables), tuple(scopes))


def _boxes(box):
    """Boxes in the order WeasyPrint tags them: depth first, margin boxes left out."""
    if isinstance(box, AbsolutePlaceholder):
        box = box._box
    if isinstance(box, boxes.MarginBox):
        return
    yield box
    if isinstance(box, boxes.ParentBox):
        for child in box.children:
            yield from _boxes(child)


def mend_table_tags(pdf: bytes, layout: TableLayout) -> bytes:
    """The PDF with header scopes and one table per HTML table; unchanged if it looks unexpected."""
    try:
        with pikepdf.open(io.BytesIO(pdf)) as document:
            _mend(document, layout)
            output = io.BytesIO()
            document.save(output, deterministic_id=True)
            return output.getvalue()
    except Unexpected as problem:
        logger.error("Left the PDF's table tags as WeasyPrint wrote them: %s", problem)
        return pdf
    except (pikepdf.PdfError, AttributeError, KeyError, TypeError, ValueError):
        # A key missing or of another type than WeasyPrint writes: the reader still gets a PDF.
        logger.exception("Left the PDF's table tags as WeasyPrint wrote them")
        return pdf


def _mend(document: pikepdf.Pdf, layout: TableLayout) -> None:
    root = document.Root.get("/StructTreeRoot")
    if root is None:
        raise Unexpected("the PDF has no structure tree")
    tables = list(_elements(root, "/Table"))
    headers = list(_elements(root, "/TH"))
    if len(tables) != len(layout.tables) or len(headers) != len(layout.header_scopes):
        raise Unexpected(
            f"{len(tables)} tables and {len(headers)} header cells tagged, "
            f"{len(layout.tables)} and {len(layout.header_scopes)} laid out"
        )
    for header, scope in zip(headers, layout.header_scopes, strict=True):
        attributes = header.get("/A")
        if not isinstance(attributes, pikepdf.Dictionary):
            raise Unexpected("a header cell's attributes are not one dictionary")
        attributes.Scope = pikepdf.Name(scope)

    pages = {page.objgen: number for number, page in enumerate(document.pages)}
    artifacts: dict[int, set[int]] = defaultdict(set)
    first: dict[int, pikepdf.Dictionary] = {}
    for table, number in zip(tables, layout.tables, strict=True):
        if number in first:
            _fold(table, into=first[number], artifacts=artifacts, pages=pages)
        else:
            first[number] = table
    if artifacts:
        _mark_artifacts(document, root, artifacts)


def _elements(node, role: str):
    """Structure elements with the role `role`, in tree order."""
    for kid in _kids(node):
        kid_role = _role(kid)
        if kid_role == role:
            yield kid
        if kid_role:
            yield from _elements(kid, role)


def _kids(element) -> list:
    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def _part(table, role: str):
    return next((kid for kid in _kids(table) if _role(kid) == role), None)


def _role(node) -> str | None:
    return str(node.S) if isinstance(node, pikepdf.Dictionary) and "/S" in node else None


def _fold(piece, *, into, artifacts: dict[int, set[int]], pages: dict) -> None:
    """Move a later page's piece of a table into its first piece; its header becomes an artifact."""
    parent = piece.P
    parent.K = pikepdf.Array([kid for kid in _kids(parent) if kid.objgen != piece.objgen])
    head, body = _part(into, "/THead"), _part(into, "/TBody")
    head_ids = [str(th.ID) for th in _elements(head, "/TH")] if head is not None else []
    renamed: dict[str, str] = {}
    for kid in _kids(piece):
        role = _role(kid)
        if role == "/THead" and head is None:
            # Only the caption fitted on the first piece's page: this header is the table's own.
            head, head_ids = kid, [str(th.ID) for th in _elements(kid, "/TH")]
            kid.P = into
            kids = _kids(into)
            at = next((n for n, k in enumerate(kids) if _role(k) in {"/TBody", "/TFoot"}), None)
            kids.insert(len(kids) if at is None else at, kid)
            into.K = pikepdf.Array(kids)
        elif role == "/THead":
            repeated = [str(th.ID) for th in _elements(kid, "/TH")]
            if len(repeated) != len(head_ids):
                raise Unexpected("a repeated table header differs from the first one")
            renamed.update(zip(repeated, head_ids, strict=True))
            for page, mcid in _content(kid, pages):
                artifacts[page].add(mcid)
        elif role == "/TBody" and body is not None:
            for row in _kids(kid):
                row.P = body
                body.K.append(row)
                _rename_headers(row, renamed)
        else:
            kid.P = into
            into.K.append(kid)
            _rename_headers(kid, renamed)


def _rename_headers(node, renamed: dict[str, str]) -> None:
    for cell in _elements(node, "/TD"):
        attributes = cell.get("/A")
        if isinstance(attributes, pikepdf.Dictionary) and "/Headers" in attributes:
            attributes.Headers = pikepdf.Array(
                [pikepdf.String(renamed.get(str(h), str(h))) for h in attributes.Headers]
            )


def _content(element, pages: dict):
    """(page number, MCID) of every piece of marked content under a structure element."""
    page = pages.get(element.Pg.objgen) if "/Pg" in element else None
    for kid in _kids(element):
        if isinstance(kid, int):
            if page is None:
                raise Unexpected("marked content without a page")
            yield page, int(kid)
        elif _role(kid):
            yield from _content(kid, pages)
        elif isinstance(kid, pikepdf.Dictionary):
            raise Unexpected("a repeated table header holds content other than marked content")


def _mark_artifacts(document: pikepdf.Pdf, root, artifacts: dict[int, set[int]]) -> None:
    """Re-mark the given marked content as pagination artifacts and drop it from the parent tree."""
    parent_tree = root.ParentTree
    if "/Kids" in parent_tree or "/Nums" not in parent_tree:
        raise Unexpected("the parent tree is not one flat number tree")
    nums = parent_tree.Nums
    by_key = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    for number, mcids in sorted(artifacts.items()):
        page = document.pages[number]
        contents = page.obj.get("/Contents")
        if not isinstance(contents, pikepdf.Stream):
            raise Unexpected(f"page {number + 1} has more than one content stream")
        found: list[int] = []

        def remark(match, mcids=mcids, found=found):
            mcid = int(match.group(1))
            if mcid not in mcids:
                return match.group(0)
            found.append(mcid)
            return ARTIFACT

        data = MARKED_CONTENT.sub(remark, contents.read_bytes())
        if sorted(found) != sorted(mcids):
            raise Unexpected(f"page {number + 1}'s repeated header is not marked as expected")
        contents.write(data)
        mapping = by_key.get(int(page.obj.get("/StructParents", -1)))
        if not isinstance(mapping, pikepdf.Array):
            raise Unexpected(f"page {number + 1} has no entry in the parent tree")
        for mcid in mcids:
            mapping[mcid] = None

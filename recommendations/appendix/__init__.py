"""The appendix: the progress report on one review, as at a date D, as known at a moment K.

One data object, several renderings, so they can never disagree:

- `build` makes the `Appendix` (what the report says): the one place that decides its content.
- `views` shows it on screen (`templates/appendix/show_progress_report.html`).
- `render` turns it into the standalone print HTML, and `pdf` turns that into a tagged PDF.
- `publish` freezes the print HTML and the PDF for a meeting; building the appendix again for a
  published copy's D and K gives the same HTML.
- `forms` chooses which appendix to show; the `export_appendix` command writes one to a file.
"""

from .build import DEFAULT_NUMBER, Appendix, build_appendix
from .publish import appendix_for_published, publish_appendix
from .render import render_report_html

__all__ = [
    "DEFAULT_NUMBER",
    "Appendix",
    "appendix_for_published",
    "build_appendix",
    "publish_appendix",
    "render_report_html",
]

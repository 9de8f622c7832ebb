"""Dates as the council writes them: "21 January 2019". Django's own en_GB formats abbreviate
the month ("21 Jan 2019") and, being a locale's formats, win over the settings' DATE_FORMAT;
FORMAT_MODULE_PATH in the settings puts these first."""

DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j F Y, H:i"
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]

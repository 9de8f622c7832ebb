"""The form that uploads a tracker file, with the same limits as the import itself."""

from django import forms

from scrutiny.forms import Form

from .reading import MAX_ROWS, max_upload_bytes


class TrackerUploadForm(Form):
    file = forms.FileField(
        label="Upload a tracker file",
        error_messages={
            "required": "Select a CSV or XLSX file",
            "empty": "The selected file is empty",
            "invalid": "Select a CSV or XLSX file",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[
            "file"
        ].help_text = (
            f"A CSV (UTF-8) or Excel (.xlsx) file, up to {_megabytes()} MB and {MAX_ROWS:,} rows"
        )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > max_upload_bytes():
            raise forms.ValidationError(f"The selected file must be smaller than {_megabytes()} MB")
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError("The selected file must be a CSV or XLSX")
        return upload


def _megabytes() -> int:
    return max_upload_bytes() // (1024 * 1024)

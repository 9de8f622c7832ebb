"""The form that uploads a tracker file, with the same limits as the import itself."""

from django import forms

from scrutiny.forms import Form

from .reading import MAX_BYTES, MAX_ROWS


class TrackerUploadForm(Form):
    file = forms.FileField(
        label="Upload a tracker file",
        help_text=(
            f"A CSV (UTF-8) or Excel (.xlsx) file, up to {MAX_BYTES // (1024 * 1024)} MB and "
            f"{MAX_ROWS:,} rows"
        ),
        error_messages={
            "required": "Select a CSV or XLSX file",
            "empty": "The selected file is empty",
            "invalid": "Select a CSV or XLSX file",
        },
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                f"The selected file must be smaller than {MAX_BYTES // (1024 * 1024)} MB"
            )
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError("The selected file must be a CSV or XLSX")
        return upload

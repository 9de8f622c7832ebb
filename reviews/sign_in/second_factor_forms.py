"""The forms of the second step and of the account page, in GOV.UK markup."""

import re

from django import forms
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator

from scrutiny.forms import Form, GovUKFormMixin

SIX_DIGITS = re.compile(r"[0-9]{6}")
# django-otp's recovery codes: 8 characters of lower-case base32.
RECOVERY_CODE = re.compile(r"[a-z2-7]{8}")
# People copy codes with spaces or hyphens between the groups; neither is part of a code.
SEPARATORS = re.compile(r"[\s\-]+")
ENTER_APP_CODE = "Enter the 6-digit code from your authenticator app"


def _code_input(**attrs) -> forms.TextInput:
    return forms.TextInput(
        attrs={
            "class": "govuk-input--width-10",
            "autocomplete": "one-time-code",
            "spellcheck": "false",
            "autocapitalize": "none",
            **attrs,
        }
    )


def _compact(value: str) -> str:
    return SEPARATORS.sub("", value)


class SignInCodeForm(Form):
    """The second step: a code from the authenticator app, or one of the recovery codes."""

    code = forms.CharField(
        label="Security code",
        max_length=40,
        help_text=(
            "The 6-digit code your authenticator app shows now. If you do not have the app "
            "with you, enter one of your recovery codes instead."
        ),
        widget=_code_input(),
        error_messages={
            "required": f"{ENTER_APP_CODE}, or one of your recovery codes",
            "max_length": f"{ENTER_APP_CODE}, or one of your recovery codes",
        },
    )

    def clean_code(self) -> tuple[str, str]:
        """("totp", six digits) or ("recovery", a recovery code)."""
        code = _compact(self.cleaned_data["code"])
        if code.isascii() and code.isdigit():
            if not SIX_DIGITS.fullmatch(code):
                raise ValidationError(f"{ENTER_APP_CODE}: it has 6 digits")
            return ("totp", code)
        if RECOVERY_CODE.fullmatch(code.lower()):
            return ("recovery", code.lower())
        raise ValidationError(f"{ENTER_APP_CODE}, or a recovery code of 8 letters and numbers")


class SetUpAuthenticatorForm(Form):
    code = forms.CharField(
        label="Code from the app",
        max_length=40,
        help_text="The 6-digit code the app shows for this account once you have added it.",
        widget=_code_input(inputmode="numeric"),
        error_messages={"required": ENTER_APP_CODE, "max_length": ENTER_APP_CODE},
    )

    def clean_code(self) -> str:
        code = _compact(self.cleaned_data["code"])
        if not (code.isascii() and SIX_DIGITS.fullmatch(code)):
            raise ValidationError(ENTER_APP_CODE)
        return code


class ChangePasswordForm(GovUKFormMixin, PasswordChangeForm):
    error_messages = {
        **PasswordChangeForm.error_messages,
        "password_incorrect": "Your current password is not right. Enter it again",
        "password_mismatch": "The two new passwords do not match. Enter the same password twice",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        labels = {
            "old_password": ("Current password", "Enter your current password"),
            "new_password1": ("New password", "Enter a new password"),
            "new_password2": ("Confirm new password", "Enter the new password again"),
        }
        for name, (label, required) in labels.items():
            field = self.fields[name]
            field.label = label
            field.error_messages["required"] = required
            # Longer than any password anyone types, and no long work for the hasher.
            field.validators.append(
                MaxLengthValidator(256, "Passwords are 256 characters or fewer")
            )
        self.fields["new_password1"].help_text = (
            "At least 8 characters, not a common password, not all numbers and not like your "
            "name or username."
        )

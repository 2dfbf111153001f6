"""Password rules with messages in the portal's own catalogue.

Django 5.2 changed the message of ``MinimumLengthValidator`` to a ``%d``
placeholder, but its Chinese catalogue still holds the old
``%(min_length)d`` form, so the message showed in English on the Chinese page.
The portal words it itself, with Chinese as the source string.
"""

from django.contrib.auth import password_validation
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self):
        return ngettext(
            "密码太短，至少需要%(min_length)d个字符。",
            "密码太短，至少需要%(min_length)d个字符。",
            self.min_length,
        ) % {"min_length": self.min_length}

    def get_help_text(self):
        return ngettext(
            "密码至少需要%(min_length)d个字符。",
            "密码至少需要%(min_length)d个字符。",
            self.min_length,
        ) % {"min_length": self.min_length}

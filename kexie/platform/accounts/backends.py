from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from kexie.platform.lib.validators import normalize_phone


class PhoneOrEmailBackend(ModelBackend):
    """Authenticates with a phone number or an e-mail address in ``username``."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or password is None:
            return None
        User = get_user_model()
        identifier = username.strip()
        if "@" in identifier:
            lookup = {"email__iexact": identifier}
        else:
            lookup = {"phone": normalize_phone(identifier)}
        try:
            user = User._default_manager.get(**lookup)
        except User.DoesNotExist:
            # Run the hasher anyway so that timing does not reveal which
            # accounts exist.
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

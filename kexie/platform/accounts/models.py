from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from kexie.platform.lib.validators import normalize_phone, validate_mobile
from kexie.platform.outbox.fields import message_language_field


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **fields):
        email = self.normalize_email(email).lower() if email else None
        if fields.get("phone"):
            fields["phone"] = normalize_phone(fields["phone"])
        else:
            fields["phone"] = None
        user = self.model(email=email, **fields)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_user(self, email=None, password=None, **fields):
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **fields)

    def create_superuser(self, email, password=None, **fields):
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        fields.setdefault("role", User.Role.STAFF)
        return self._create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in, by phone number or e-mail.

    Chinese names have no first/last split, so there is one ``name``.
    """

    class Role(models.TextChoices):
        PUBLIC = "public", _("公众用户")
        ENTERPRISE = "enterprise", _("企业用户")
        EXPERT = "expert", _("专家用户")
        MANAGER = "manager", _("组织管理员")
        STAFF = "staff", _("科协工作人员")

    #: Roles whose work is done in the admin and on the staff pages.
    ADMIN_ROLES = (Role.STAFF, Role.MANAGER)

    name = models.CharField(_("姓名"), max_length=50)
    email = models.EmailField(_("电子邮箱"), unique=True, null=True, blank=True)
    phone = models.CharField(
        _("手机号码"),
        max_length=20,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_mobile],
    )
    # What a person typed when registering, held apart until a code proves it
    # theirs: registering never says whether an address has an account, and no
    # message goes to an address its owner has not proven (``email`` and
    # ``phone`` are proven, unique, and the only ones used to send).
    pending_email = models.EmailField(_("待验证的电子邮箱"), blank=True, default="")
    pending_phone = models.CharField(
        _("待验证的手机号码"), max_length=20, blank=True, default="", validators=[validate_mobile]
    )
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices, default=Role.PUBLIC)
    is_staff = models.BooleanField(
        _("可进入管理后台"),
        default=False,
        help_text=_("科协工作人员和组织管理员需要勾选。"),
    )
    is_active = models.BooleanField(_("有效"), default=True)
    date_joined = models.DateTimeField(_("注册时间"), default=timezone.now)
    # The language of the account's messages (e-mails, texts): the site's when
    # the account was opened, then whichever the person last switched to while
    # signed in or chose on their account page.
    language = message_language_field(help_text=_("发给您的短信和电子邮件使用的语言。"))

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = pgettext_lazy("several", "用户")
        constraints = [
            models.CheckConstraint(
                condition=Q(email__isnull=False)
                | Q(phone__isnull=False)
                | ~Q(pending_email="")
                | ~Q(pending_phone=""),
                name="user_has_email_or_phone",
                violation_error_message=_("请至少填写手机号码或电子邮箱之一。"),
            ),
        ]

    def __str__(self):
        return (
            self.name
            or self.email
            or self.phone
            or self.pending_email
            or self.pending_phone
            or str(self.pk)
        )

    def clean(self):
        super().clean()
        if self.email:
            self.email = self.email.strip().lower()
        else:
            self.email = None
        self.phone = normalize_phone(self.phone) if self.phone else None
        self.pending_email = (self.pending_email or "").strip().lower()
        self.pending_phone = normalize_phone(self.pending_phone) if self.pending_phone else ""

    @property
    def pending_addresses(self) -> list[str]:
        """Addresses typed at registration and not proven yet."""
        return [address for address in (self.pending_phone, self.pending_email) if address]

    def get_full_name(self):
        return self.name

    def get_short_name(self):
        return self.name

    @property
    def is_association_staff(self) -> bool:
        """Staff of the association: may see and change everything."""
        return self.is_active and (
            self.is_superuser or (self.is_staff and self.role == self.Role.STAFF)
        )

    @property
    def is_org_manager(self) -> bool:
        return self.is_active and self.role == self.Role.MANAGER


class Session(AbstractBaseSession):
    """Django's database session with the id of its signed-in user beside its
    data (``SESSION_ENGINE`` = ``kexie.platform.accounts.sessions``), so that a
    signed-in request reads its session and its user in one statement.

    ``user`` is the ``_auth_user_id`` of the data, written with it on every
    save; it is not a constraint (a user's deletion leaves their sessions, as
    Django's sessions do, and the session then signs nobody in).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        # Nothing looks sessions up by their user.
        db_index=False,
        related_name="+",
    )

    class Meta(AbstractBaseSession.Meta):
        db_table = "accounts_session"

    @classmethod
    def get_session_store_class(cls):
        from kexie.platform.accounts.sessions import SessionStore

        return SessionStore

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import construct_instance
from django.utils.translation import gettext_lazy as _

from kexie.platform.pictures import services
from kexie.platform.pictures.models import Picture


class PictureAdminForm(forms.ModelForm):
    upload = forms.FileField(
        label=_("图片文件"),
        required=False,
        help_text=_("JPEG、PNG、WebP 或 GIF。上传后自动生成列表、详情和分享用的尺寸。"),
    )

    class Meta:
        model = Picture
        fields = ["upload", "alt", "caption", "credit", "original_private"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # The file of a picture is fixed; a new file is a new picture.
            del self.fields["upload"]
        else:
            self.fields["upload"].required = True

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if upload:
            try:
                services.picture_check(upload)
            except ValidationError as exc:
                raise ValidationError(exc.messages) from exc
        return upload

    def _post_clean(self):
        # The typed fields onto the instance (what ModelForm._post_clean does
        # first); the file fields are filled by the service, not by the form.
        self.instance = construct_instance(self, self.instance, self._meta.fields)
        exclude = self._get_validation_exclusions() | {"original", "width", "height"}
        try:
            self.instance.full_clean(exclude=exclude, validate_unique=False)
        except ValidationError as exc:
            self._update_errors(exc)

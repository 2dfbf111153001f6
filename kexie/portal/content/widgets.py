"""The rich-text editor of articles: django-prose-editor (Tiptap/ProseMirror).

Its files are served from ``static/`` like every other asset. The library's
own widget loads them through an inline import map, which a Content-Security-
Policy without 'unsafe-inline' refuses; ``static/js/content-editor.js``
imports the editor module by its path instead and starts the editor with
Tiptap's style injection off (the styles come from the library's CSS files).
Whatever the editor sends is sanitised again on the server
(``kexie.portal.content.sanitize``): the editor is a convenience, not a guard.
"""

from django import forms


class RichTextWidget(forms.Textarea):
    def __init__(self, attrs=None):
        super().__init__({"rows": 20, "data-content-editor": "", **(attrs or {})})

    class Media:
        css = {
            "all": [
                "django_prose_editor/material-icons.css",
                "django_prose_editor/editor.css",
                "django_prose_editor/overrides.css",
                "css/content-editor.css",
            ]
        }
        # The Chinese words first: the editor module asks window.gettext for them.
        js = ["js/content-editor-i18n.js", forms.Script("js/content-editor.js", type="module")]

    def use_required_attribute(self, initial):
        # The textarea is hidden behind the editor; a browser could not point at it.
        return False

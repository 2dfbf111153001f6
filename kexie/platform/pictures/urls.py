from django.urls import path

from kexie.platform.pictures import views

app_name = "pictures"

urlpatterns = [
    path("pictures/<int:pk>/original/", views.original, name="original"),
    path("media/pictures/<path:path>", views.rendition, name="rendition"),
]

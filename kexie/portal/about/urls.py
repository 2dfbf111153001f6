from django.urls import path

from kexie.portal.about import views

app_name = "about"

urlpatterns = [
    path("about/", views.about, name="page"),
]

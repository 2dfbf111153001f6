from django.urls import path

from kexie.platform.lib.pagecache import public_page
from kexie.portal.content import feeds, views

app_name = "content"

rss = public_page("content")(feeds.ColumnRssFeed())
atom = public_page("content")(feeds.ColumnAtomFeed())

urlpatterns = [
    path("news/", views.article_index, name="index"),
    path("news/<int:pk>/", views.article, name="article"),
    path("news/files/<int:pk>/", views.attachment, name="attachment"),
    path("news/<slug:slug>/", views.column, name="column"),
    path("news/<slug:slug>/rss/", rss, name="feed_rss"),
    path("news/<slug:slug>/atom/", atom, name="feed_atom"),
    path("staff/content/review/", views.review_list, name="staff_review_list"),
    path("staff/content/articles/<int:pk>/preview/", views.preview, name="staff_preview"),
    path("staff/content/articles/<int:pk>/review/", views.review, name="staff_review"),
    path("staff/content/articles/<int:pk>/withdraw/", views.withdraw, name="staff_withdraw"),
]

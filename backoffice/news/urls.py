from django.urls import path

from backoffice.news import views

urlpatterns = [
    path("", views.news_list, name="news"),
    path("nouvelle/", views.news_edit, name="news_new"),
    path("<int:news_id>/", views.news_edit, name="news_edit"),
    path("<int:news_id>/retirer/", views.news_unpublish, name="news_unpublish"),
]

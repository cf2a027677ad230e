from django.urls import path

from news import views

urlpatterns = [
    path("", views.news_list, name="news"),
    path("desabonnement/<str:token>/", views.unsubscribe, name="news_unsubscribe"),
]

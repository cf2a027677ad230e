"""Mon compte: the account's summary and its history, under /mon-compte/."""

from django.urls import path

from billing import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("compte/<int:account_id>/", views.account_summary, name="account_summary"),
    path("compte/<int:account_id>/situation/", views.statement, name="account_statement"),
    path(
        "compte/<int:account_id>/situation.csv",
        views.statement_csv,
        name="account_statement_csv",
    ),
]

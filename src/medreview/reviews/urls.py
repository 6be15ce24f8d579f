from django.urls import path

from medreview.reviews import views

urlpatterns = [
    path("assignments/", views.batches, name="assignment-batches"),
    path("assignments/propose/", views.propose, name="propose-assignments"),
    path("assignments/<int:batch_id>/", views.batch, name="assignment-batch"),
    path("assignments/<int:batch_id>/apply/", views.apply, name="apply-assignment-batch"),
    path("settings/clients/", views.client_settings, name="client-settings"),
    path(
        "settings/clients/<int:organisation_id>/",
        views.change_client_settings,
        name="change-client-settings",
    ),
]

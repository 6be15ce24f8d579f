from django.urls import path

from medreview.outbox import views

urlpatterns = [
    path("webhooks/", views.outbox_page, name="outbox"),
    path("webhooks/add/", views.add_webhook, name="add-webhook"),
    path("webhooks/<int:webhook_id>/remove/", views.remove_webhook, name="remove-webhook"),
    path(
        "webhooks/deliveries/<int:delivery_id>/retry/",
        views.retry_delivery,
        name="retry-delivery",
    ),
]

from django.urls import path

from medreview.network import views

urlpatterns = [
    path("network/", views.physicians, name="physicians"),
    path("network/<str:npi>/", views.physician, name="physician"),
    path("network/<str:npi>/edit/", views.edit_physician, name="edit-physician"),
    path("network/<str:npi>/verify/", views.verify_credential, name="verify-credential"),
    path("network/<str:npi>/hours/", views.add_hours, name="add-hours"),
    path("network/<str:npi>/hours/<int:block_id>/remove/", views.remove_hours),
]

from django.urls import include, path

from medreview.web.api import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("", include("medreview.claims.urls")),
    path("", include("medreview.records.urls")),
    path("", include("medreview.network.urls")),
    path("", include("medreview.reviews.urls")),
]

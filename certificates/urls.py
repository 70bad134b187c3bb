"""Open Badges documents at stable, language-independent URLs."""

from django.urls import path

from . import views

urlpatterns = [
    path("issuers/<int:institution_id>/", views.issuer_profile, name="badge_issuer"),
    path("keys/<str:kid>.json", views.public_key, name="badge_key"),
    path("jwks.json", views.key_set, name="badge_jwks"),
    path("status/<int:institution_id>/", views.status_list, name="badge_status"),
    path("achievements/<int:run_id>/<str:kind>/", views.achievement, name="badge_achievement"),
]

from django.urls import path

from . import registry_views

urlpatterns = [
    path("", registry_views.trainer_registry, name="trainer_registry"),
]

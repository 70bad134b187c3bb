from django.urls import path

from . import views

urlpatterns = [
    path("", views.cascade_list, name="cascade_list"),
    path("<int:run_id>/", views.cascade_detail, name="cascade_detail"),
]

from django.urls import path

from . import views

urlpatterns = [
    path("", views.cascade_list, name="cascade_list"),
    path("<int:run_id>/", views.cascade_detail, name="cascade_detail"),
    path("<int:run_id>/below/<int:node_id>/", views.cascade_children, name="cascade_children"),
    path("<int:run_id>/attach/", views.cascade_attach, name="cascade_attach"),
    path("courses/<int:course_id>/", views.cascade_course, name="cascade_course"),
    path("themes/<slug:slug>/", views.cascade_theme, name="cascade_theme"),
    path("earlier/", views.external_create, name="external_create"),
    path("earlier/<int:external_id>/", views.cascade_external, name="cascade_external"),
    path(
        "earlier/<int:external_id>/attach/",
        views.cascade_attach,
        name="cascade_external_attach",
    ),
]

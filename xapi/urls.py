from django.urls import path, re_path

from . import views

# Trailing slashes are optional: tools differ in how they join the endpoint and the resource.
urlpatterns = [
    re_path(r"^about/?$", views.about_view, name="xapi_about"),
    re_path(r"^statements/?$", views.statements_view, name="xapi_statements"),
    path("statements/more/<str:token>", views.statements_more_view, name="xapi_statements_more"),
    re_path(r"^activities/state/?$", views.state_view, name="xapi_state"),
    re_path(r"^activities/profile/?$", views.activity_profile_view, name="xapi_activity_profile"),
    re_path(r"^activities/?$", views.activities_view, name="xapi_activities"),
    re_path(r"^agents/profile/?$", views.agent_profile_view, name="xapi_agent_profile"),
    re_path(r"^agents/?$", views.agents_view, name="xapi_agents"),
    path("cmi5/fetch/<str:key>/<str:code>", views.cmi5_fetch, name="xapi_cmi5_fetch"),
]

from django.urls import path

from . import views

urlpatterns = [
    path("zones/", views.ZoneListView.as_view(), name="zone-list"),
]

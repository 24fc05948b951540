from django.urls import path

from . import views

urlpatterns = [path("", views.CockpitView.as_view(), name="home")]

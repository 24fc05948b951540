from django.urls import path

from . import views

urlpatterns = [
    path("password/change/", views.password_change, name="password-change"),
]

"""A test URLconf: org's organisations as clock owners for core.clock.views.clock_urls."""

from django.urls import include, path

from kaifaqu.core.clock.views import clock_urls
from kaifaqu.org.models import Org
from kaifaqu.urls import urlpatterns as project_urls

urlpatterns = [path("test/", include((clock_urls("owners", Org, "staff.change", "owner"), "t"), namespace="t")),
               *project_urls]

"""The tenant model, named once (as Django names the user model with ``AUTH_USER_MODEL``).

Core keeps zone data apart by the tenant (开发区) but does not import the module that defines it:
foreign keys name ``settings.KAIFAQU_TENANT_MODEL`` and code reaches the class through :func:`tenant_model`.
Webhooks belong to an organisation of the zone; :func:`org_model` names that class the same way.
"""

from functools import cache

from django.apps import apps
from django.conf import settings


@cache
def tenant_model():
    """The model of a zone (``KAIFAQU_TENANT_MODEL``, e.g. ``org.Zone``)."""
    return apps.get_model(settings.KAIFAQU_TENANT_MODEL)


@cache
def org_model():
    """The model of an organisation within a zone (``KAIFAQU_ORG_MODEL``, e.g. ``org.Org``)."""
    return apps.get_model(settings.KAIFAQU_ORG_MODEL)

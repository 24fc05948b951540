from django.urls import path

from . import views

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("powers/", views.PowerListView.as_view(), name="powers"),
    path("powers/export.xlsx", views.PowerExportView.as_view(), name="powers-export"),
    path("powers/item/", views.ItemView.as_view(), name="item"),
    path("catalogues/", views.CataloguesView.as_view(), name="catalogues"),
    path("versions/", views.HistoryView.as_view(), name="history"),
    path("versions/diff/", views.DiffView.as_view(), name="diff"),
]

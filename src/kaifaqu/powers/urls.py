from django.urls import path

from . import views

urlpatterns = [
    path("", views.CurrentListView.as_view(), name="current"),
    path("items/", views.ItemListView.as_view(), name="item-list"),
    path("items/new/", views.ItemCreateView.as_view(), name="item-create"),
    path("items/<int:pk>/", views.ItemDetailView.as_view(), name="item-detail"),
    path("items/<int:pk>/edit/", views.ItemEditView.as_view(), name="item-edit"),
    path("items/<int:pk>/remove/", views.ItemRemoveView.as_view(), name="item-remove"),
    path("standards/", views.StandardListView.as_view(), name="standard-list"),
    path("standards/<int:pk>/", views.StandardDetailView.as_view(), name="standard-detail"),
    path("standards/<int:pk>/claim/", views.ClaimView.as_view(), name="standard-claim"),
    path("batches/", views.BatchListView.as_view(), name="batch-list"),
    path("batches/new/", views.BatchCreateView.as_view(), name="batch-create"),
    path("batches/<int:pk>/", views.BatchDetailView.as_view(), name="batch-detail"),
    path("batches/<int:pk>/edit/", views.BatchEditView.as_view(), name="batch-edit"),
    path("versions/", views.VersionListView.as_view(), name="version-list"),
    path("versions/new/", views.DraftCreateView.as_view(), name="version-create"),
    path("versions/<int:pk>/", views.VersionDetailView.as_view(), name="version-detail"),
    path("versions/<int:pk>/export.xlsx", views.version_export, name="version-export"),
    path("versions/<int:pk>/diff/", views.VersionDiffView.as_view(), name="version-diff"),
    path("versions/<int:pk>/do/<slug:action>/", views.VersionActionView.as_view(), name="listversion-action"),
    path("matrix/", views.MatrixView.as_view(), name="matrix"),
    path("matrix/matters/new/", views.MatterCreateView.as_view(), name="matter-create"),
    path("matrix/areas/new/", views.AreaCreateView.as_view(), name="area-create"),
    path("matrix/assign/", views.AssignView.as_view(), name="assign"),
    path("matrix/assignments/<int:pk>/remove/", views.UnassignView.as_view(), name="unassign"),
]

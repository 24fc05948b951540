from django.urls import path

from . import views

urlpatterns = [
    path("items/", views.ItemListView.as_view(), name="item-list"),
    path("items/new/", views.ItemCreateView.as_view(), name="item-create"),
    path("items/<int:pk>/", views.ItemDetailView.as_view(), name="item-detail"),
    path("items/<int:pk>/edit/", views.ItemEditView.as_view(), name="item-edit"),
    path("items/<int:pk>/materials/new/", views.MaterialAddView.as_view(), name="material-add"),
    path("materials/<int:pk>/edit/", views.MaterialEditView.as_view(), name="material-edit"),
    path("windows/", views.WindowListView.as_view(), name="window-list"),
    path("windows/<int:pk>/", views.WindowDetailView.as_view(), name="window-detail"),
    path("windows/<int:pk>/staff/", views.WindowStaffView.as_view(), name="window-staff"),
    path("cases/", views.CaseListView.as_view(), name="case-list"),
    path("cases/<int:pk>/", views.CaseDetailView.as_view(), name="case-detail"),
    path("cases/<int:pk>/do/<slug:action>/", views.CaseActionView.as_view(), name="case-action"),
    path("cases/<int:pk>/materials/", views.CaseMaterialView.as_view(), name="case-material"),
    path("cases/<int:pk>/decision-file/", views.DecisionFileView.as_view(), name="case-decision-file"),
    path("projects/", views.ProjectListView.as_view(), name="project-list"),
    path("projects/<int:pk>/", views.ProjectDetailView.as_view(), name="project-detail"),
    path("figures/", views.FiguresView.as_view(), name="figures"),
    path("apply/", views.ApplyView.as_view(), name="apply"),
    path("public/progress/", views.PublicProgressView.as_view(), name="public-progress"),
    path("public/", views.PublicCatalogueView.as_view(), name="public-catalogue"),
    path("public/guide/", views.PublicGuideView.as_view(), name="public-guide"),
]

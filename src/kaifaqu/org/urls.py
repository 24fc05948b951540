from django.urls import path

from . import views

urlpatterns = [
    path("zones/", views.ZoneListView.as_view(), name="zone-list"),
    path("zones/new/", views.ZoneCreateView.as_view(), name="zone-create"),
    path("zones/<int:pk>/", views.ZoneDetailView.as_view(), name="zone-detail"),
    path("zones/<int:pk>/edit/", views.ZoneEditView.as_view(), name="zone-edit"),
    path("zones/<int:pk>/parks/new/", views.ParkCreateView.as_view(), name="park-create"),
    path("parks/", views.ParkListView.as_view(), name="park-list"),
    path("parks/<int:pk>/", views.ParkDetailView.as_view(), name="park-detail"),
    path("parks/<int:pk>/edit/", views.ParkEditView.as_view(), name="park-edit"),
    path("orgs/", views.OrgListView.as_view(), name="org-list"),
    path("orgs/new/", views.OrgCreateView.as_view(), name="org-create"),
    path("orgs/<int:pk>/", views.OrgDetailView.as_view(), name="org-detail"),
    path("orgs/<int:pk>/edit/", views.OrgEditView.as_view(), name="org-edit"),
    path("orgs/<int:pk>/profile.docx", views.org_profile_docx, name="org-profile"),
    path("orgs/<int:pk>/abolish/", views.OrgAbolishView.as_view(), name="org-abolish"),
    path("orgs/<int:pk>/plaques/new/", views.PlaqueAddView.as_view(), name="plaque-add"),
    path("orgs/<int:pk>/establishment/", views.EstablishmentSetView.as_view(), name="establishment-set"),
    path("plaques/<int:pk>/remove/", views.PlaqueRemoveView.as_view(), name="plaque-remove"),
    path("staff/", views.StaffListView.as_view(), name="staff-list"),
    path("staff/new/", views.StaffCreateView.as_view(), name="staff-create"),
    path("staff/<int:pk>/", views.StaffDetailView.as_view(), name="staff-detail"),
    path("staff/<int:pk>/edit/", views.StaffEditView.as_view(), name="staff-edit"),
    path("secondments/", views.SecondmentListView.as_view(), name="secondment-list"),
    path("secondments/new/", views.SecondmentCreateView.as_view(), name="secondment-create"),
    path("secondments/<int:pk>/", views.SecondmentDetailView.as_view(), name="secondment-detail"),
    path("secondments/<int:pk>/end/", views.SecondmentEndView.as_view(), name="secondment-end"),
    path("reorgs/", views.ReorgListView.as_view(), name="reorg-list"),
    path("reorgs/new/", views.ReorgCreateView.as_view(), name="reorg-create"),
    path("reorgs/<int:pk>/", views.ReorgDetailView.as_view(), name="reorg-detail"),
]

from django.urls import path

from . import views

app_name = "assessment"
urlpatterns = [
    path("pegawai/<int:pegawai_pk>/<str:kind>/tambah/", views.record_create, name="record-create"),
    path("<str:kind>/<int:pk>/ubah/", views.record_update, name="record-update"),
    path("<str:kind>/<int:pk>/hapus/", views.record_delete, name="record-delete"),
    path("periode/", views.periode_list, name="periode-list"),
    path("periode/<int:tahun>/", views.periode_detail, name="periode-detail"),
    path("periode/<int:tahun>/hitung/", views.periode_recompute, name="periode-recompute"),
    path("periode/<int:tahun>/status/", views.periode_status, name="periode-status"),
    path("periode/<int:tahun>/ekspor/", views.periode_export, name="periode-export"),
    path("periode/<int:tahun>/skema/<str:instansi_kode>/", views.skema_choose, name="skema-choose"),
    path("skema/", views.skema_list, name="skema-list"),
    path("skema/<int:pk>/salin/", views.skema_copy, name="skema-copy"),
]

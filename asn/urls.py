from django.urls import path

from . import views

app_name = "asn"
urlpatterns = [
    path("pegawai/", views.pegawai_list, name="pegawai-list"),
    path("pegawai/tambah/", views.pegawai_create, name="pegawai-create"),
    path("pegawai/<int:pk>/", views.pegawai_detail, name="pegawai-detail"),
    path("pegawai/<int:pk>/ubah/", views.pegawai_update, name="pegawai-update"),
    path("impor/", views.import_upload, name="import-upload"),
    path("impor/<int:pk>/", views.import_detail, name="import-detail"),
    path("impor/<int:pk>/konfirmasi/", views.import_confirm, name="import-confirm"),
    path("impor/<int:pk>/coba-lagi/", views.import_retry, name="import-retry"),
    path("impor/<int:pk>/pemetaan/", views.import_mapping, name="import-mapping"),
    path("impor/templat/<str:kind>/", views.import_template, name="import-template"),
    path("impor/pemetaan-siasn/", views.siasn_mapping_list, name="siasn-mapping-list"),
    path("impor/pemetaan-siasn/<int:pk>/", views.siasn_mapping_update, name="siasn-mapping-update"),
    path("impor/pemetaan-siasn/<int:pk>/hapus/", views.siasn_mapping_delete, name="siasn-mapping-delete"),
]

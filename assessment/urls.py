from django.urls import path

from . import views

app_name = "assessment"
urlpatterns = [
    path("pegawai/<int:pegawai_pk>/<str:kind>/tambah/", views.record_create, name="record-create"),
    path("<str:kind>/<int:pk>/ubah/", views.record_update, name="record-update"),
    path("<str:kind>/<int:pk>/hapus/", views.record_delete, name="record-delete"),
    path("periode/", views.periode_list, name="periode-list"),
    path("periode/<int:tahun>/", views.periode_detail, name="periode-detail"),
    path("periode/<int:tahun>/kesegaran/", views.freshness, name="kesegaran"),
    path("periode/<int:tahun>/hitung/", views.periode_recompute, name="periode-recompute"),
    path("periode/<int:tahun>/status/", views.periode_status, name="periode-status"),
    path("periode/<int:tahun>/ekspor/", views.periode_export, name="periode-export"),
    path("periode/<int:tahun>/simata/", views.simata_export, name="simata-export"),
    path("ekspor/<int:pk>/", views.export_detail, name="ekspor-detail"),
    path("ekspor/<int:pk>/unduh/", views.export_download, name="ekspor-unduh"),
    path("periode/<int:tahun>/skema/<str:instansi_kode>/", views.skema_choose, name="skema-choose"),
    path("skema/", views.skema_list, name="skema-list"),
    path("skema/<int:pk>/salin/", views.skema_copy, name="skema-copy"),
    path("skema/<int:pk>/simulasi/", views.simulasi_start, name="simulasi-start"),
    path("simulasi/<int:pk>/", views.simulasi_detail, name="simulasi-detail"),
    path("simulasi/<int:pk>/adopsi/", views.simulasi_adopt, name="simulasi-adopt"),
]

urlpatterns += [
    path("peta/", views.talent_map_latest, name="peta-terbaru"),
    path("peta/<int:tahun>/", views.talent_map, name="peta"),
    path("peta/<int:tahun>/kotak/<int:kotak>/", views.talent_map_box, name="peta-kotak"),
    path("peta/<int:tahun>/ekspor/", views.talent_map_export, name="peta-ekspor"),
    path("perpindahan/", views.movement, name="perpindahan"),
    path("krs/<int:tahun>/", views.talent_pool, name="krs"),
    path("kalibrasi/<int:tahun>/", views.calibration_audit, name="kalibrasi"),
    # "provinsi/" (the dashboard) is added in talenta/urls.py: its view is succession's.
    path("provinsi/tahapan/<int:instansi_id>/", views.pipeline_set, name="tahapan"),
    path("rapat/", views.rapat_list, name="rapat-list"),
    path("rapat/<int:pk>/", views.rapat_detail, name="rapat-detail"),
    path("rapat/<int:pk>/pindah/", views.rapat_move, name="rapat-move"),
    path("rapat/<int:pk>/anggota/", views.rapat_member_add, name="rapat-member-add"),
    path("rapat/anggota/<int:pk>/hapus/", views.rapat_member_remove, name="rapat-member-remove"),
    path("rapat/<int:pk>/konflik/", views.rapat_conflict, name="rapat-conflict"),
    path("rapat/<int:pk>/final/", views.rapat_finalise, name="rapat-finalise"),
    path("rapat/<int:pk>/buang-draf/", views.rapat_discard, name="rapat-discard"),
    path("rapat/kalibrasi/<int:pk>/setujui/", views.rapat_agree, name="rapat-agree"),
    path("rapat/<int:pk>/berita-acara.<str:fmt>", views.rapat_berita_acara, name="rapat-berita-acara"),
]

from django.urls import path

from . import views

app_name = "succession"
urlpatterns = [
    path("", views.target_list, name="targets"),
    path("cakupan/", views.coverage, name="coverage"),
    path("struktur/", views.structure, name="structure"),
    path("struktur/tambah/", views.jabatan_form, name="jabatan-create"),
    path("struktur/<int:pk>/", views.jabatan_form, name="jabatan-edit"),
    path("<int:tahun>/ekspor/", views.export, name="export"),
    path("<int:tahun>/<str:instansi_kode>/sk-ppk.pdf", views.sk_ppk, name="sk-ppk"),
    path("<int:tahun>/jabatan/<int:jabatan_id>/", views.target_detail, name="target"),
    path("<int:tahun>/jabatan/<int:jabatan_id>/usulkan/", views.nominate, name="nominate"),
    path("<int:tahun>/jabatan/<int:jabatan_id>/banding/", views.compare, name="compare"),
    path("<int:tahun>/jabatan/<int:jabatan_id>/cetak/", views.target_print, name="target-print"),
    path("nominasi/<int:pk>/", views.nomination_detail, name="nomination"),
    path("nominasi/<int:pk>/keputusan/", views.nomination_decide, name="nomination-decide"),
    path("nominasi/<int:pk>/kesiapan/", views.nomination_readiness, name="nomination-readiness"),
    path("nominasi/<int:pk>/urutan/", views.nomination_reorder, name="nomination-reorder"),
    path("nominasi/<int:pk>/rencana/usulkan/", views.plan_propose, name="plan-propose"),
    path("nominasi/<int:pk>/rencana/tambah/", views.plan_item_add, name="plan-add"),
    path("rencana/<int:pk>/", views.plan_item_edit, name="plan-edit"),
    path("luar-rencana/<int:pk>/", views.out_of_plan_justify, name="out-of-plan"),
    path("simulasi/<int:pk>/", views.simulation_targets, name="simulation-targets"),
]

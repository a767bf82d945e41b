from django.urls import path

from portal import views

app_name = "portal"

urlpatterns = [
    path("", views.my_profile, name="profile"),
    path("data-saya/unduh/", views.my_data_download, name="my-data-download"),
    path("keberatan/", views.keberatan_list, name="keberatan-list"),
    path("keberatan/ajukan/", views.keberatan_create, name="keberatan-create"),
    path("keberatan/<int:pk>/", views.keberatan_detail, name="keberatan-detail"),
    path("keberatan/<int:pk>/tinjau/", views.keberatan_review, name="keberatan-review"),
    path("keberatan/<int:pk>/putuskan/", views.keberatan_decide, name="keberatan-decide"),
    path("keberatan/bukti/<int:pk>/", views.keberatan_bukti, name="keberatan-bukti"),
    # The staff's side of the loop; an ASN account gets 404 here (the views say so).
    path("keberatan/masuk/", views.keberatan_inbox, name="keberatan-inbox"),
    path("keberatan/jendela/", views.keberatan_jendela, name="keberatan-jendela"),
    path("portofolio/", views.portofolio_list, name="portofolio-list"),
    path("portofolio/usulkan/", views.portofolio_create, name="portofolio-create"),
    path("portofolio/<int:pk>/", views.portofolio_detail, name="portofolio-detail"),
    path("portofolio/<int:pk>/verifikasi/", views.portofolio_verify, name="portofolio-verify"),
    path("portofolio/bukti/<int:pk>/", views.portofolio_bukti, name="portofolio-bukti"),
    # The operator's verification list; an ASN account gets 404 here (the selector says so).
    path("portofolio/masuk/", views.portofolio_inbox, name="portofolio-inbox"),
]

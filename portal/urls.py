from django.urls import path

from portal import views

app_name = "portal"

urlpatterns = [
    path("", views.my_profile, name="profile"),
    path("data-saya/unduh/", views.my_data_download, name="my-data-download"),
]

from django.urls import path

from . import user_views as views

app_name = "users"
urlpatterns = [
    path("", views.user_list, name="list"),
    path("tambah/", views.user_create, name="create"),
    path("akun-asn/", views.asn_accounts, name="asn-accounts"),
    path("akun-asn/lembar-sandi/", views.asn_accounts_sheet, name="asn-accounts-sheet"),
    path("<int:pk>/", views.user_detail, name="detail"),
    path("<int:pk>/status/", views.user_set_active, name="set-active"),
    path("<int:pk>/buka-kunci/", views.user_unlock, name="unlock"),
    path("<int:pk>/tautan-sandi/", views.user_password_link, name="password-link"),
]

"""The Django admin: every registered model opens for a superuser; assessment and succession records are read-only."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from asn.models import Instansi, Pegawai, Role
from assessment.models import Periode, RapatTalentReview, Skema
from assessment.services import konflik_declare, skema_choose
from tests.factories import UserFactory
from tests.test_url_coverage import world  # noqa: F401  (the fixture: one object of every kind)

pytestmark = pytest.mark.django_db

READ_ONLY_APPS = ("decisions", "assessment", "succession")


@pytest.fixture
def records(world):  # noqa: F811
    """The URL world plus the two kinds it does not need: a scheme choice and a declared conflict."""
    periode = Periode.objects.get(tahun=2026)
    skema_choose(
        user=world.users["admin"], periode=periode, instansi=Instansi.objects.get(kode="6101"),
        skema=Skema.objects.get(pk=world.scheme),
    )  # fmt: skip
    konflik_declare(
        user=world.users["tim"], rapat=RapatTalentReview.objects.get(pk=world.meeting),
        pegawai=Pegawai.objects.get(pk=world.pegawai), jenis="keluarga", keterangan="Sepupu",
    )  # fmt: skip
    return world


@pytest.fixture
def superuser_client(reference_data):
    user = UserFactory(username="root", role=Role.ADMIN, instansi=None, is_staff=True, is_superuser=True)
    client = Client(raise_request_exception=True)
    client.force_login(user)
    return client


def _url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def test_every_model_of_assessment_and_succession_is_registered():
    for label in READ_ONLY_APPS:
        models = {m for m in apps.get_app_config(label).get_models() if not m.__name__.startswith("Historical")}
        assert models <= set(admin.site._registry), f"{label}: {models - set(admin.site._registry)}"


def test_every_changelist_and_change_page_answers_for_a_superuser(records, superuser_client):
    for model in admin.site._registry:
        changelist = superuser_client.get(_url(model, "changelist"))
        assert changelist.status_code == 200, model
        obj = model._default_manager.order_by("pk").first()
        if model._meta.app_label in READ_ONLY_APPS:
            assert obj is not None, f"the world holds a {model.__name__}"
        if obj is None:
            continue
        assert superuser_client.get(_url(model, "change", obj.pk)).status_code == 200, model
        if hasattr(model, "history"):
            assert superuser_client.get(_url(model, "history", obj.pk)).status_code == 200, model


def test_assessment_and_succession_records_cannot_be_changed_in_the_admin(records, superuser_client):
    for model in admin.site._registry:
        if model._meta.app_label not in READ_ONLY_APPS:
            continue
        obj = model._default_manager.order_by("pk").first()
        change = superuser_client.get(_url(model, "change", obj.pk))
        assert 'name="_save"' not in change.text, model
        assert superuser_client.get(_url(model, "add")).status_code == 403, model
        assert superuser_client.post(_url(model, "delete", obj.pk), {"post": "yes"}).status_code == 403, model
        assert model._default_manager.filter(pk=obj.pk).exists()


def test_admin_names_the_apps_and_models_in_indonesian(superuser_client):
    index = superuser_client.get(reverse("admin:index"))
    for text in ("Kinerja dan asesmen", "Suksesi", "Penempatan", "Kalibrasi", "Nominasi", "Perhitungan", "Periode"):
        assert text in index.text


def test_a_duplicate_periode_through_the_form_says_so_in_one_sentence(records):
    # The world's periode 2026 exists; the province admin asks for it again on the periode page.
    admin_client_province = records.clients["admin"]
    response = admin_client_province.post(
        reverse("assessment:periode-list"), {"tahun": 2026, "tanggal_acuan": "2026-01-31", "status": "open"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"tahun": ["Periode untuk tahun ini sudah ada."]}
    assert "Periode untuk tahun ini sudah ada." in response.text

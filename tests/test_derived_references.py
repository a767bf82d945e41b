"""Placements and candidates refer to their reference and parent rows without a database constraint.

The pipeline alone writes them (docs/scale.md: the constraints cost row-by-row checks at commit), so
what the constraints guarded is kept by Django's on_delete: checked here in the admin and in code.
"""

import pytest
from django.db import connection
from django.db.models.deletion import ProtectedError
from django.test import Client
from django.urls import reverse

from asn.models import Jabatan, Jenjang, Pegawai, Role
from assessment.models import Penempatan, Skema
from succession.models import Kandidat
from talenta import pipeline
from tests.assessment.test_placements import seed
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

WITHOUT_CONSTRAINT = {
    Penempatan: ["periode_id", "instansi_id", "jenjang_id", "skema_id"],
    Kandidat: ["target_id", "pegawai_id", "penempatan_id"],
}


@pytest.fixture
def listed(periode_2026):
    """A period whose recompute listed candidates: every manajerial jabatan in the structure, some critical."""
    seed(300, seed=4)
    for jabatan in Jabatan.objects.filter(jenjang__kelompok="manajerial"):
        jabatan.dalam_struktur = True
        jabatan.kritikal = jabatan.pk % 2 == 0
        jabatan.save()
    pipeline.refresh_now(periode_id=periode_2026.pk)
    assert Kandidat.objects.exists()
    return periode_2026


@pytest.fixture
def superuser_client(reference_data):
    user = UserFactory(username="root", role=Role.ADMIN, instansi=None, is_staff=True, is_superuser=True)
    client = Client(raise_request_exception=True)
    client.force_login(user)
    return client


def test_the_derived_references_keep_their_index_and_only_the_pegawai_of_a_placement_its_constraint():
    with connection.cursor() as cursor:
        for model, columns in WITHOUT_CONSTRAINT.items():
            constraints = connection.introspection.get_constraints(cursor, model._meta.db_table).values()
            foreign = {c["columns"][0] for c in constraints if c["foreign_key"]}
            indexed = {c["columns"][0] for c in constraints if c["index"] or c["unique"]}
            assert foreign == ({"pegawai_id"} if model is Penempatan else set()), model
            assert set(columns) <= indexed, model


def test_a_pegawai_with_candidacies_is_kept_by_the_admin_and_deleted_whole_by_code(listed, superuser_client):
    candidate = Kandidat.objects.select_related("pegawai").order_by("pk").first()
    pegawai = candidate.pegawai

    # The admin deletes no assessment or succession row, so it refuses to delete a pegawai who has them.
    response = superuser_client.post(reverse("admin:asn_pegawai_delete", args=[pegawai.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert Kandidat.objects.filter(pk=candidate.pk).exists()

    # Code that deletes them (a test's clean-up, a shell) goes through Django's CASCADE, in Python.
    Pegawai.objects.filter(pk=pegawai.pk).delete()

    assert not Penempatan.objects.filter(pegawai_id=pegawai.pk).exists()
    assert not Kandidat.objects.filter(pegawai_id=pegawai.pk).exists()
    assert not Kandidat.objects.filter(penempatan_id=candidate.penempatan_id).exists()
    # No candidate is left pointing at a placement or pegawai that is gone.
    assert not Kandidat.objects.exclude(penempatan_id__in=Penempatan.objects.values("pk")).exists()
    assert not Kandidat.objects.exclude(pegawai_id__in=Pegawai.objects.values("pk")).exists()


def test_the_admin_refuses_to_delete_a_jenjang_that_placements_refer_to(listed, superuser_client):
    placement = Penempatan.objects.order_by("pk").first()
    jenjang = placement.jenjang
    placed = Penempatan.objects.filter(jenjang_id=jenjang.pk).count()

    response = superuser_client.post(reverse("admin:asn_jenjang_delete", args=[jenjang.pk]), {"post": "yes"})

    assert response.status_code == 200
    assert any(str(placement) in str(item) for item in response.context["protected"])
    assert Jenjang.objects.filter(pk=jenjang.pk).exists()
    assert Penempatan.objects.filter(jenjang_id=jenjang.pk).count() == placed


def test_a_period_or_scheme_that_placements_refer_to_cannot_be_deleted(listed):
    placement = Penempatan.objects.order_by("pk").first()
    with pytest.raises(ProtectedError):
        listed.delete()
    with pytest.raises(ProtectedError):
        Skema.objects.get(pk=placement.skema_id).delete()
    assert Penempatan.objects.filter(pk=placement.pk, periode=listed).exists()

"""Management commands and production settings."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db.models import F
from django.test import Client
from django.urls import reverse

from asn.models import Pegawai, Role, User
from assessment.models import SkpResult
from portal.models import UsulanPortofolio
from talenta.tabular import write_csv
from tests.asn.test_import_pegawai import HEADERS, row

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_import_data_writes_a_valid_file_and_names_the_user(tmp_path, operator):
    path = tmp_path / "pegawai.csv"
    path.write_bytes(write_csv(HEADERS, [row()]))
    out = StringIO()
    call_command("import_data", "pegawai", str(path), "--as", operator.username, stdout=out)
    assert out.getvalue().strip() == (
        "Impor pegawai selesai: baru 1, diubah 0, tetap 0, unit kerja baru 1, jabatan baru 1."
    )
    assert Pegawai.objects.get().history.get().history_user == operator


@pytest.mark.django_db
def test_import_data_prints_row_errors_and_fails_without_writing(tmp_path):
    path = tmp_path / "pegawai.csv"
    path.write_bytes(write_csv(HEADERS, [row(), row(nip="198609262015051001", nama="Ganda")]))
    err = StringIO()
    with pytest.raises(CommandError) as excinfo:
        call_command("import_data", "pegawai", str(path), stderr=err)
    assert str(excinfo.value) == "Berkas tidak valid: 1 kesalahan. Tidak ada data yang disimpan."
    assert err.getvalue().strip() == (
        "Baris 3, kolom nip (198609262015051001): NIP 198609262015051001 sudah ada di baris 2."
    )
    assert Pegawai.objects.count() == 0


def test_import_data_exits_non_zero_on_an_invalid_file(tmp_path):
    path = tmp_path / "pegawai.csv"
    path.write_bytes(write_csv(HEADERS, [row(nip="123")]))
    # A throwaway database: this runs the real command in its own process, outside the test database.
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "talenta.settings.test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}",
    }
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    result = subprocess.run(
        [sys.executable, "manage.py", "import_data", "pegawai", str(path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "Baris 2, kolom nip (123): NIP harus 18 digit, bukan 3 digit." in result.stderr


@pytest.mark.django_db
def test_import_data_refuses_a_read_only_user(tmp_path, ppk):
    path = tmp_path / "pegawai.csv"
    path.write_bytes(write_csv(HEADERS, [row()]))
    with pytest.raises(CommandError, match="tidak berhak mengimpor"):
        call_command("import_data", "pegawai", str(path), "--as", ppk.username)
    assert Pegawai.objects.count() == 0


@pytest.mark.django_db
def test_seed_demo_creates_valid_pegawai_and_one_user_per_role_and_instansi(reference_data):
    first = StringIO()
    call_command("seed_demo", "--pegawai", "300", stdout=first)
    again = StringIO()
    call_command("seed_demo", "--pegawai", "300", stdout=again)  # idempotent

    assert Pegawai.objects.count() == 300
    assert Pegawai.objects.values("instansi").distinct().count() == 15
    assert User.objects.filter(role=Role.OPERATOR).count() == 15
    assert User.objects.filter(role=Role.PPK).count() == 15
    assert User.objects.get(username="bkn").role == Role.BKN
    assert User.objects.get(username="operator-6101").check_password("talenta-demo")
    # 47 staff accounts, three ASN of 6101 and one Operator OPD of 6101, made once.
    assert User.objects.count() == 51
    asn = list(User.objects.filter(role=Role.PEGAWAI).select_related("pegawai", "instansi").order_by("pk"))
    assert len(asn) == 3
    for account in asn:
        assert account.username == account.nip == account.pegawai.nip
        assert (account.instansi.kode, account.pegawai.instansi.kode) == ("6101", "6101")
        assert account.check_password("talenta-demo")
        assert not account.wajib_ganti_sandi
    shows = ["kandidat suksesor", "kotak talenta lengkap", "data belum lengkap, yang dapat mengubah hasil"]
    assert first.getvalue().splitlines()[1:6] == [
        "Akun ASN demo 6101 (kata sandi: talenta-demo, masuk di /saya/):",
        *(f"  {account.username} — {what}" for account, what in zip(asn, shows, strict=True)),
        f"Operator OPD demo: opd-6101 ({asn[2].pegawai.jabatan.unit_kerja.nama}).",
    ]
    assert f"  {asn[0].username} — sudah ada" in again.getvalue()
    opd = User.objects.get(username="opd-6101")
    assert (opd.role, opd.instansi.kode, opd.wajib_ganti_sandi) == (Role.OPERATOR_OPD, "6101", False)
    assert opd.check_password("talenta-demo")
    assert list(opd.unit_kerja.all()) == [asn[2].pegawai.jabatan.unit_kerja]
    # One diklat proposal waits for verification, by the operator or the Operator OPD of its unit.
    proposal = UsulanPortofolio.objects.get()
    assert (proposal.pegawai, proposal.status, proposal.jp) == (asn[2].pegawai, "diajukan", 40)
    assert opd.may_verify_portfolio(proposal)
    # A demo ASN signs in with the documented password and lands on their own portal at once.
    client = Client()
    response = client.post(reverse("login"), {"username": asn[0].username, "password": "talenta-demo"})
    assert response.status_code == 302
    page = client.get("/saya/")
    assert page.status_code == 200
    assert f"NIP {asn[0].username}" in page.content.decode()
    for pegawai in Pegawai.objects.select_related("jabatan__jenjang")[:50]:
        pegawai.derive_from_nip(bup_years=pegawai.jabatan.jenjang.bup)  # raises on an invalid NIP
    # Only what the SKP form and import accept: none before the pegawai's TMT CPNS.
    assert SkpResult.objects.count() > 0
    assert not SkpResult.objects.filter(tahun__lt=F("pegawai__tmt_cpns__year")).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("count", [15, 1])
def test_seed_demo_works_with_a_few_pegawai(reference_data, count):
    out = StringIO()
    call_command("seed_demo", "--pegawai", str(count), stdout=out)
    assert Pegawai.objects.count() == count
    assert User.objects.count() == 47
    # The demo instansi drew none of them: the succession demo says it skipped, nothing half-made.
    assert not Pegawai.objects.filter(instansi__kode="6101").exists()
    assert "suksesi demo: dilewati, belum ada unit kerja di Kabupaten Sambas;" in out.getvalue()
    # And so there is no one to open an ASN account for: said, nothing made.
    assert "Akun ASN demo: dilewati, belum ada penempatan di Kabupaten Sambas." in out.getvalue()
    assert not User.objects.filter(role__in=[Role.PEGAWAI, Role.OPERATOR_OPD]).exists()
    assert f"Data demo siap: {count} pegawai baru, 0 tetap;" in out.getvalue()
    call_command("seed_demo", "--pegawai", str(count), stdout=StringIO())  # and again, idempotent
    assert Pegawai.objects.count() == count


@pytest.mark.django_db
def test_createsuperuser_makes_a_province_wide_admin(reference_data, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "Pontianak-Kalbar-2026")
    call_command(
        "createsuperuser", interactive=False, username="kepala-bkd", email="bkd@kalbarprov.go.id", stdout=StringIO()
    )
    admin = User.objects.get(username="kepala-bkd")
    assert (admin.role, admin.instansi, admin.is_superuser, admin.is_staff) == (Role.ADMIN, None, True, True)
    assert admin.sees_all_instansi and admin.is_talenta_admin
    assert admin.check_password("Pontianak-Kalbar-2026")


def test_createsuperuser_command_runs_on_a_fresh_database(tmp_path):
    # The first administrator of a new installation: the real command, in its own process.
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "talenta.settings.test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}",
        "DJANGO_SUPERUSER_PASSWORD": "Pontianak-Kalbar-2026",
    }
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    created = subprocess.run(
        [sys.executable, "manage.py", "createsuperuser", "--noinput", "--username", "kepala-bkd", "--email", ""],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert created.returncode == 0, created.stderr
    assert created.stdout.strip() == "Superuser created successfully."
    shown = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v0", "-c",
         "from asn.models import User; u = User.objects.get(username='kepala-bkd'); "
         "print(u.role, u.instansi_id, u.is_superuser)"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert shown.stdout.strip() == "admin None True"


def test_uploaded_files_are_not_served_in_local_mode(tmp_path):
    # `make run` (local settings, DEBUG on): an uploaded import holds NIPs and names.
    upload = tmp_path / "media" / "imports" / "2026" / "01" / "pegawai.csv"
    upload.parent.mkdir(parents=True)
    upload.write_text("nip,nama\n198507142010011003,Budi Santoso\n")
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "talenta.settings.local",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'local.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    script = (
        "from django.test import Client; "
        "r = Client(HTTP_HOST='localhost').get('/media/imports/2026/01/pegawai.csv'); "
        "print(r.status_code, b'Budi' in r.getvalue())"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v0", "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "404 False"


def test_production_settings_pass_check_deploy():
    env = {
        # The browser tests' conftest allows async-unsafe calls for the whole test process.
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "talenta.settings.production",
        "DJANGO_SECRET_KEY": "x7#kq!2vZp9@Lm4$Rt8^Wn1&Ys6*Bd3(Hf5)Jc0-Ge" * 2,
        "DJANGO_ALLOWED_HOSTS": "talenta.kalbarprov.go.id",
        "DATABASE_URL": "postgres://talenta:secret@db:5432/talenta",
        "CELERY_BROKER_URL": "redis://redis:6379/0",
        "CACHE_URL": "redis://redis:6379/1",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_settings_refuse_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SECRET_KEY"}
    env["DJANGO_SETTINGS_MODULE"] = "talenta.settings.production"
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode != 0
    assert "Set the DJANGO_SECRET_KEY environment variable" in result.stderr


def test_seed_demo_writes_a_siasn_file_that_imports_as_the_same_pegawai(reference_data, tmp_path):
    path = tmp_path / "siasn-6101.csv"
    out = StringIO()
    call_command("seed_demo", "--pegawai", "150", "--siasn", str(path), stdout=out)
    sambas = Pegawai.objects.filter(instansi__kode="6101").count()
    assert sambas > 0
    assert f"Berkas SIASN {path} ditulis: {sambas} pegawai 6101." in out.getvalue()
    imported = StringIO()
    call_command("import_data", "siasn", str(path), "--as", "operator-6101", "--terima-tebakan", stdout=imported)
    # The same people: nobody new, each now carrying SIASN's PNS ID.
    assert Pegawai.objects.count() == 150
    assert not Pegawai.objects.filter(instansi__kode="6101", pns_id="").exists()

from asn.models import Instansi


def instansi_picker(request):
    """Province-wide users pick the instansi a page is about; the query runs only if a page shows the picker."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.sees_all_instansi:
        return {}
    return {"instansi_options": Instansi.objects.order_by("kode")}

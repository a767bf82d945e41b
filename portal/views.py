from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.views.decorators.http import require_GET

from portal import documents, selectors


@require_GET
@login_required
def my_data_download(request):
    data = selectors.my_data_export(user=request.user)
    response = HttpResponse(documents.my_data_json(data), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="data-saya-{request.user.username}.json"'
    return response

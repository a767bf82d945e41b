"""The portal's documents: an ASN's own data as a JSON file."""

import json

from django.core.serializers.json import DjangoJSONEncoder


def my_data_json(data: dict) -> bytes:
    """`selectors.my_data_export` as readable JSON: indented, non-ASCII names kept as they are."""
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode("utf-8")

from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    """Every list: `?page=` and `?page_size=` (at most 500)."""

    page_size = 50
    page_size_query_param = "page_size"
    page_size_query_description = "Jumlah baris per halaman (bawaan 50, paling banyak 500)."
    page_query_description = "Nomor halaman, mulai dari 1."
    max_page_size = 500
    invalid_page_message = "Halaman tidak valid."

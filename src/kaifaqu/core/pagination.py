"""Page sizes shared by the API (``Pagination``, the REST framework's default) and the list pages.

Kept apart from ``core.api``: the REST framework imports its default pagination class while its generic views are
being defined, and ``core.api`` defines viewsets, so the class must live in a module that does not import them.
"""

from rest_framework import exceptions
from rest_framework.pagination import PageNumberPagination

MAX_PAGE_SIZE = 200  # API and pages alike
API_PAGE_SIZE = 50


def page_size_from(raw) -> int | None:
    """A ``page_size`` given by the caller: an integer from 1 to MAX_PAGE_SIZE, else None."""
    if raw is None or not (str(raw).isascii() and str(raw).isdigit()):
        return None
    size = int(raw)
    return size if 1 <= size <= MAX_PAGE_SIZE else None


class Pagination(PageNumberPagination):
    page_size = API_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    invalid_page_message = "页码超出范围或无效。"

    def get_schema_operation_parameters(self, view):
        """``page`` from 1 and ``page_size`` from 1 to MAX_PAGE_SIZE, as ``get_page_size`` enforces."""
        return [
            {"name": self.page_query_param, "required": False, "in": "query",
             "description": "页码，从 1 开始", "schema": {"type": "integer", "minimum": 1}},
            {"name": self.page_size_query_param, "required": False, "in": "query",
             "description": f"每页条数（1–{MAX_PAGE_SIZE}，默认 {API_PAGE_SIZE}）",
             "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE}},
        ]

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            raise exceptions.ValidationError({"page_size": ["每页条数必须是整数。"]}) from None
        if size < 1 or size > MAX_PAGE_SIZE:
            raise exceptions.ValidationError({"page_size": [f"每页条数必须在 1 到 {MAX_PAGE_SIZE} 之间。"]})
        return size

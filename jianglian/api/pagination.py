from django.conf import settings
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

from jianglian.filters import db_integer

PAGE_INVALID = "应为从 1 开始的页码 / A page number, starting at 1."
PAGE_SIZE_INVALID = "应为正整数（每页最多 %(max)s 条） / A positive whole number (at most %(max)s a page)."


class CappedPageNumberPagination(PageNumberPagination):
    """`?page=&page_size=`; a page never holds more than API_MAX_PAGE_SIZE rows (a larger page_size is cut to it).

    A page or page size that is no positive whole number (`page=-1`, `page=0`, `page_size=abc`) is a 400 on that
    parameter — not a 404 "invalid page", nor a page size silently ignored. A page past the last is a 404."""

    page_size = settings.API_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = settings.API_MAX_PAGE_SIZE

    def get_page_size(self, request):
        text = request.query_params.get(self.page_size_query_param, "")
        if text == "":
            return self.page_size
        size = db_integer(text)
        if not size:
            raise ValidationError({self.page_size_query_param: [PAGE_SIZE_INVALID % {"max": self.max_page_size}]})
        return min(size, self.max_page_size)

    def paginate_queryset(self, queryset, request, view=None):
        text = request.query_params.get(self.page_query_param, "")
        if text not in ("", *self.last_page_strings) and not db_integer(text):
            raise ValidationError({self.page_query_param: [PAGE_INVALID]})
        return super().paginate_queryset(queryset, request, view)

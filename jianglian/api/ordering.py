"""`?ordering=` on every REST list: a field the list cannot be ordered by is a 400 naming the ones it can."""
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter

ORDERING_UNKNOWN = ("不能按 %(unknown)s 排序，可选：%(allowed)s（前加 - 为倒序） / Cannot order by %(unknown)s; "
                    "choose from %(allowed)s (a leading - reverses).")


class StrictOrderingFilter(OrderingFilter):
    """DRF's OrderingFilter, but `?ordering=password` (or a typo) is refused instead of silently ignored."""

    def get_ordering(self, request, queryset, view):
        params = request.query_params.get(self.ordering_param, "")
        terms = [term.strip() for term in params.split(",") if term.strip()]
        unknown = [term for term in terms if not self.remove_invalid_fields(queryset, [term], view, request)]
        if unknown:
            allowed = [name for name, _label in self.get_valid_fields(queryset, view, {"request": request})]
            raise ValidationError({self.ordering_param: [
                ORDERING_UNKNOWN % {"unknown": ", ".join(unknown), "allowed": ", ".join(allowed)}]})
        return super().get_ordering(request, queryset, view)

"""A thin viewset base: input serializer → service → output serializer.

Subclasses set:
- `output_serializer_class` (an `OutputSerializer`/`OutputModelSerializer` with `optimize`),
- `create_serializer_class` / `update_serializer_class` (`StrictInput…` serializers),
- `select(self)` → the selector's queryset for `self.request.user` (what the caller may see),
- `create_object(self, data)` / `update_object(self, instance, data)` → call the service;
- `secretariat_actions`: the actions only the secretariat calls (403 before the object is looked up, as the GraphQL
  mutations' `Role.SECRETARIAT`); the others keep `permission_classes`.
Objects the caller may not see answer 404 (they come from the selector); objects the caller
sees but may not change answer 403 (the service raises NotAllowed).

A create with an `Idempotency-Key` header (an authenticated caller's) is done once per key: a retry with the
same key and body answers the first answer again, with `Idempotent-Replayed: true` (jianglian.idempotency).
"""
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from jianglian.idempotency import Answer, run_once

from .permissions import IsSecretariat

IDEMPOTENCY_HEADER = "Idempotency-Key"


class ServiceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    output_serializer_class = None
    create_serializer_class = None
    update_serializer_class = None
    # PATCH carries the changed fields only; PUT is not offered.
    http_method_names = ["get", "post", "patch", "head", "options"]
    secretariat_actions: frozenset = frozenset()

    def get_permissions(self):
        if self.action in self.secretariat_actions:
            return [IsSecretariat()]
        return super().get_permissions()

    def select(self):
        raise NotImplementedError

    def get_queryset(self):
        return self.output_serializer_class.optimize(self.select())

    def get_serializer_class(self):
        if self.action == "create" and self.create_serializer_class is not None:
            return self.create_serializer_class
        if self.action == "partial_update" and self.update_serializer_class is not None:
            return self.update_serializer_class
        return self.output_serializer_class

    def read_input(self, serializer_class=None, *, partial=False, instance=None) -> dict:
        """The validated input; `instance` is the object an update changes (its own unique values are not taken)."""
        serializer = (serializer_class or self.get_serializer_class())(
            instance, data=self.request.data, partial=partial, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def respond(self, instance, status_code=status.HTTP_200_OK) -> Response:
        """Answer with the output representation of an object the caller just wrote."""
        model = type(instance)
        fresh = self.output_serializer_class.optimize(model._default_manager.filter(pk=instance.pk)).get()
        serializer = self.output_serializer_class(fresh, context=self.get_serializer_context())
        return Response(serializer.data, status=status_code)

    # --- writes -------------------------------------------------------------
    def create_object(self, data):
        raise NotImplementedError

    def update_object(self, instance, data):
        raise NotImplementedError

    def create(self, request, *args, **kwargs):
        key = request.headers.get(IDEMPOTENCY_HEADER)
        if key is None or not request.user.is_authenticated:
            return self._create()

        def perform():
            response = self._create()
            instance = response.instance
            return Answer(response.status_code, response.data, instance._meta.label_lower, instance.pk)

        data = request.data  # a JSON body, or a form's QueryDict
        payload = sorted(data.lists()) if hasattr(data, "lists") else data
        answer, replayed = run_once(user=request.user, key=key, operation=f"{self.basename}.create",
                                    payload=payload, perform=perform)
        response = Response(answer.body, status=answer.status_code)
        if replayed:
            response["Idempotent-Replayed"] = "true"
        return response

    def _create(self):
        instance = self.create_object(self.read_input())
        response = self.respond(instance, status.HTTP_201_CREATED)
        response.instance = instance
        return response

    def partial_update(self, request, *args, **kwargs):
        instance = self.get_object()
        data = self.read_input(partial=True, instance=instance)
        return self.respond(self.update_object(instance, data))

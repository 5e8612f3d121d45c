"""Execution: a value the server cannot represent in its own schema is a server error.

graphql-core reports an enum/scalar that cannot serialize what a resolver returned ("Enum 'Gender'
cannot represent value: 'x'") or an object of the wrong runtime type as a plain `GraphQLError`,
exactly like an error a resolver raises on purpose for bad input. errors.py would then call it
BAD_REQUEST, blaming the client for the server's data. Here such completion errors are re-raised as
`OutputError`, which errors.py turns into INTERNAL_SERVER_ERROR (logged, message hidden).
"""
from graphql import ExecutionContext, GraphQLError


class OutputError(TypeError):
    """The server produced a value its schema cannot represent."""


class JianglianExecutionContext(ExecutionContext):
    def complete_value(self, return_type, field_nodes, info, path, result):
        if isinstance(result, Exception):  # a resolver returned an error on purpose: keep it
            return super().complete_value(return_type, field_nodes, info, path, result)
        try:
            return super().complete_value(return_type, field_nodes, info, path, result)
        except GraphQLError as error:
            if error.path is not None:  # a child field's error, already located and classified
                raise
            raise OutputError(f"{info.parent_type.name}.{info.field_name}: {error.message}") from error

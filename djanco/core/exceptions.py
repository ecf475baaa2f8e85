"""Exceptions shared across Djanco's layers, with Django's names."""

from __future__ import annotations


class ImproperlyConfigured(Exception):
    """Djanco is somehow improperly configured (bad settings, missing module, ...)."""


class SuspiciousOperation(Exception):
    """The user did something suspicious; answered with 400 Bad Request."""


class DisallowedHost(SuspiciousOperation):
    """The request's Host header is not in ALLOWED_HOSTS."""


class RequestDataTooBig(SuspiciousOperation):
    """The request body is over DATA_UPLOAD_MAX_MEMORY_SIZE; answered with 413."""


class PermissionDenied(Exception):
    """The user does not have permission to do that; answered with 403 Forbidden."""


class BadRequest(Exception):
    """The request is malformed and cannot be processed; answered with 400 Bad Request."""


class Http404(Exception):
    """The requested resource does not exist; answered with 404 Not Found."""


class ViewDoesNotExist(Exception):
    """The requested view does not exist."""


class MiddlewareNotUsed(Exception):
    """A middleware's factory raises this to take itself out of the stack."""


# --- ORM and validation (part O2) ---------------------------------------------------------


class FieldDoesNotExist(Exception):
    """The requested model field does not exist."""


class FieldError(Exception):
    """A problem with a model field or a lookup: unknown name, clashing names, bad expression."""


class ObjectDoesNotExist(Exception):
    """The requested object does not exist; each model has a `DoesNotExist` subclass."""

    silent_variable_failure = True


class MultipleObjectsReturned(Exception):
    """The query returned several objects when only one was expected."""


NON_FIELD_ERRORS = "__all__"


class ValidationError(Exception):
    """Invalid data: one message, a list of messages, or a dict of field name -> messages."""

    def __init__(
        self,
        message: str | list[str] | dict[str, list[str]] | dict[str, str],
        code: str | None = None,
        params: dict[str, object] | None = None,
    ) -> None:
        self.code = code
        self.params = params
        self.error_dict: dict[str, list[str]] | None = None
        self.error_list: list[str]
        if isinstance(message, dict):
            self.error_dict = {
                field: [msgs] if isinstance(msgs, str) else list(msgs)
                for field, msgs in message.items()
            }
            self.error_list = [m for msgs in self.error_dict.values() for m in msgs]
        elif isinstance(message, list):
            self.error_list = list(message)
        else:
            self.error_list = [message % params if params else message]
        super().__init__(message if isinstance(message, dict) else self.error_list)

    @property
    def message_dict(self) -> dict[str, list[str]]:
        """Field name -> messages; messages not tied to a field are under `NON_FIELD_ERRORS`."""
        if self.error_dict is None:
            return {NON_FIELD_ERRORS: list(self.error_list)}
        return self.error_dict

    @property
    def messages(self) -> list[str]:
        return list(self.error_list)

    def __str__(self) -> str:
        if self.error_dict is not None:
            return repr(self.error_dict)
        return repr(self.error_list)

    def __repr__(self) -> str:
        return f"ValidationError({self})"


class SynchronousOnlyOperation(RuntimeError):
    """A blocking call was made from inside a running event loop: use the async form."""

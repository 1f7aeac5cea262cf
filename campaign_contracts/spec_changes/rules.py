"""The rule table: what each neutral change means in the direction where it happens.

The walker in `diff.py` only says *what* changed (a property was removed, a type lost a
member, an enum gained a value) and *where* (request, response, or the operation or
document as a whole). This table decides whether that breaks existing clients, so the
same observation can be breaking in a request and harmless in a response, and the
policy reads one flat list of rule ids.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Direction(StrEnum):
    """Who sends the data a change is about."""

    REQUEST = "request"  # the client sends it: narrowing breaks, widening does not
    RESPONSE = "response"  # the server sends it: widening breaks, narrowing does not
    OPERATION = "operation"  # the operation or document as a whole


class Kind(StrEnum):
    """A neutral observation of the walker, before direction gives it a meaning."""

    DOCUMENT_REMOVED = "document removed"
    SERVER_REMOVED = "server removed"
    SERVER_ADDED = "server added"
    OPERATION_REMOVED = "operation removed"
    OPERATION_ADDED = "operation added"
    OPERATION_ID_CHANGED = "operationId changed"
    SECURITY_CHANGED = "security changed"
    SECURITY_ALTERNATIVE_ADDED = "security alternative added"
    PARAMETER_REMOVED = "parameter removed"
    PARAMETER_RENAMED = "parameter renamed"
    PARAMETER_ADDED_REQUIRED = "required parameter added"
    PARAMETER_ADDED_OPTIONAL = "optional parameter added"
    PARAMETER_MADE_REQUIRED = "parameter made required"
    PARAMETER_MADE_OPTIONAL = "parameter made optional"
    BODY_ADDED_REQUIRED = "required body added"
    BODY_ADDED_OPTIONAL = "optional body added"
    BODY_REMOVED = "body removed"
    BODY_MADE_REQUIRED = "body made required"
    BODY_MADE_OPTIONAL = "body made optional"
    MEDIA_TYPE_REMOVED = "media type removed"
    MEDIA_TYPE_ADDED = "media type added"
    SUCCESS_STATUS_REMOVED = "success status removed"
    SUCCESS_STATUS_ADDED = "success status added"
    ERROR_STATUS_REMOVED = "error status removed"
    ERROR_STATUS_ADDED = "error status added"
    PROPERTY_REMOVED = "property removed"
    PROPERTY_ADDED_REQUIRED = "required property added"
    PROPERTY_ADDED_OPTIONAL = "optional property added"
    PROPERTY_MADE_REQUIRED = "property made required"
    PROPERTY_MADE_OPTIONAL = "property made optional"
    TYPE_NARROWED = "type narrowed"
    TYPE_WIDENED = "type widened"
    TYPE_CHANGED = "type changed"
    ENUM_VALUE_REMOVED = "enum value removed"
    ENUM_VALUE_ADDED = "enum value added"
    ENUM_INTRODUCED = "enum introduced"
    ENUM_DROPPED = "enum dropped"


@dataclass(frozen=True)
class Rule:
    """What a change means for clients, with the stable id that reports and tests use."""

    id: str
    breaking: bool
    summary: str


_REQ = Direction.REQUEST
_RESP = Direction.RESPONSE
_OP = Direction.OPERATION
_RESPONSE_PROPERTY_ADDED = Rule("response-property-added", False, "response field added")

RULES: dict[tuple[Kind, Direction], Rule] = {
    (Kind.DOCUMENT_REMOVED, _OP): Rule("document-removed", True, "document removed"),
    (Kind.SERVER_REMOVED, _OP): Rule("server-removed", True, "server removed"),
    (Kind.SERVER_ADDED, _OP): Rule("server-added", False, "server added"),
    (Kind.OPERATION_REMOVED, _OP): Rule("operation-removed", True, "operation removed"),
    (Kind.OPERATION_ADDED, _OP): Rule("operation-added", False, "operation added"),
    # Generated clients name their modules and functions after the operationId.
    (Kind.OPERATION_ID_CHANGED, _OP): Rule(
        "operation-id-changed", True, "operationId changed (generated function renamed)"
    ),
    (Kind.SECURITY_CHANGED, _REQ): Rule(
        "security-changed", True, "security requirement added or changed"
    ),
    (Kind.SECURITY_ALTERNATIVE_ADDED, _REQ): Rule(
        "security-alternative-added", False, "alternative security requirement added"
    ),
    (Kind.PARAMETER_REMOVED, _REQ): Rule("parameter-removed", True, "parameter removed"),
    (Kind.PARAMETER_RENAMED, _REQ): Rule("parameter-renamed", True, "parameter renamed"),
    (Kind.PARAMETER_ADDED_REQUIRED, _REQ): Rule(
        "parameter-added-required", True, "required parameter added"
    ),
    (Kind.PARAMETER_ADDED_OPTIONAL, _REQ): Rule(
        "parameter-added-optional", False, "optional parameter added"
    ),
    (Kind.PARAMETER_MADE_REQUIRED, _REQ): Rule(
        "parameter-made-required", True, "parameter made required"
    ),
    (Kind.PARAMETER_MADE_OPTIONAL, _REQ): Rule(
        "parameter-made-optional", False, "parameter made optional"
    ),
    (Kind.BODY_ADDED_REQUIRED, _REQ): Rule(
        "request-body-added-required", True, "required request body added"
    ),
    (Kind.BODY_ADDED_OPTIONAL, _REQ): Rule(
        "request-body-added-optional", False, "optional request body added"
    ),
    # Clients built for the old document still send it, and generated ones take it as an argument.
    (Kind.BODY_REMOVED, _REQ): Rule("request-body-removed", True, "request body removed"),
    (Kind.BODY_MADE_REQUIRED, _REQ): Rule(
        "request-body-made-required", True, "request body made required"
    ),
    (Kind.BODY_MADE_OPTIONAL, _REQ): Rule(
        "request-body-made-optional", False, "request body made optional"
    ),
    (Kind.MEDIA_TYPE_REMOVED, _REQ): Rule(
        "request-media-type-removed", True, "request media type removed"
    ),
    (Kind.MEDIA_TYPE_ADDED, _REQ): Rule(
        "request-media-type-added", False, "request media type added"
    ),
    (Kind.MEDIA_TYPE_REMOVED, _RESP): Rule(
        "response-media-type-removed", True, "response media type removed"
    ),
    (Kind.MEDIA_TYPE_ADDED, _RESP): Rule(
        "response-media-type-added", False, "response media type added"
    ),
    (Kind.SUCCESS_STATUS_REMOVED, _RESP): Rule(
        "success-status-removed", True, "success status code removed"
    ),
    (Kind.SUCCESS_STATUS_ADDED, _RESP): Rule(
        "success-status-added", False, "success status code added"
    ),
    (Kind.ERROR_STATUS_REMOVED, _RESP): Rule(
        "error-status-removed", False, "error status code removed"
    ),
    (Kind.ERROR_STATUS_ADDED, _RESP): Rule("error-status-added", False, "error status code added"),
    # Generated request models drop the field, so callers that set it stop type-checking.
    (Kind.PROPERTY_REMOVED, _REQ): Rule("request-property-removed", True, "request field removed"),
    (Kind.PROPERTY_REMOVED, _RESP): Rule(
        "response-property-removed", True, "response field removed"
    ),
    (Kind.PROPERTY_ADDED_REQUIRED, _REQ): Rule(
        "request-property-added-required", True, "request field added as required"
    ),
    (Kind.PROPERTY_ADDED_OPTIONAL, _REQ): Rule(
        "request-property-added-optional", False, "optional request field added"
    ),
    # Whether required or not, a new response field is one old clients ignore: one rule.
    (Kind.PROPERTY_ADDED_REQUIRED, _RESP): _RESPONSE_PROPERTY_ADDED,
    (Kind.PROPERTY_ADDED_OPTIONAL, _RESP): _RESPONSE_PROPERTY_ADDED,
    (Kind.PROPERTY_MADE_REQUIRED, _REQ): Rule(
        "request-property-made-required", True, "request field made required"
    ),
    (Kind.PROPERTY_MADE_OPTIONAL, _REQ): Rule(
        "request-property-made-optional", False, "request field made optional"
    ),
    (Kind.PROPERTY_MADE_REQUIRED, _RESP): Rule(
        "response-property-made-required", False, "response field made required"
    ),
    (Kind.PROPERTY_MADE_OPTIONAL, _RESP): Rule(
        "response-property-made-optional", True, "response field made optional"
    ),
    (Kind.TYPE_NARROWED, _REQ): Rule("request-type-narrowed", True, "request type narrowed"),
    (Kind.TYPE_WIDENED, _REQ): Rule("request-type-widened", False, "request type widened"),
    (Kind.TYPE_CHANGED, _REQ): Rule("request-type-changed", True, "request type changed"),
    (Kind.TYPE_NARROWED, _RESP): Rule("response-type-narrowed", False, "response type narrowed"),
    (Kind.TYPE_WIDENED, _RESP): Rule("response-type-widened", True, "response type widened"),
    (Kind.TYPE_CHANGED, _RESP): Rule("response-type-changed", True, "response type changed"),
    (Kind.ENUM_VALUE_REMOVED, _REQ): Rule(
        "request-enum-value-removed", True, "enum value removed from a request"
    ),
    (Kind.ENUM_VALUE_ADDED, _REQ): Rule(
        "request-enum-value-added", False, "enum value added to a request"
    ),
    (Kind.ENUM_VALUE_REMOVED, _RESP): Rule(
        "response-enum-value-removed", False, "enum value removed from a response"
    ),
    (Kind.ENUM_VALUE_ADDED, _RESP): Rule(
        "response-enum-value-added", True, "enum value added to a response"
    ),
    (Kind.ENUM_INTRODUCED, _REQ): Rule(
        "request-enum-introduced", True, "request value restricted to an enum"
    ),
    (Kind.ENUM_DROPPED, _REQ): Rule("request-enum-dropped", False, "request enum lifted"),
    (Kind.ENUM_INTRODUCED, _RESP): Rule(
        "response-enum-introduced", False, "response value restricted to an enum"
    ),
    (Kind.ENUM_DROPPED, _RESP): Rule("response-enum-dropped", True, "response enum lifted"),
}


def rule_for(kind: Kind, direction: Direction) -> Rule:
    """The rule of `kind` in `direction`; a missing pair is a bug of the walker."""
    return RULES[kind, direction]

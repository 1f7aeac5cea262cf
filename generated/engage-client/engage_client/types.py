"""Contains some shared types for properties"""

from collections.abc import Mapping, MutableMapping
from http import HTTPStatus
from typing import IO, Any, BinaryIO, Generic, Literal, Self, TypeVar

from attrs import define


class Unset:
    def __bool__(self) -> Literal[False]:
        return False


UNSET: Unset = Unset()

# The types that `httpx.Client(files=)` can accept, copied from that library.
FileContent = IO[bytes] | bytes | str
FileTypes = (
    # (filename, file (or bytes), content_type)
    tuple[str | None, FileContent, str | None]
    # (filename, file (or bytes), content_type, headers)
    | tuple[str | None, FileContent, str | None, Mapping[str, str]]
)
RequestFiles = list[tuple[str, FileTypes]]


@define
class File:
    """Contains information for file uploads"""

    payload: BinaryIO
    file_name: str | None = None
    mime_type: str | None = None

    def to_tuple(self) -> FileTypes:
        """Return a tuple representation that httpx will accept for multipart/form-data"""
        return self.file_name, self.payload, self.mime_type


T = TypeVar("T")


@define
class Response(Generic[T]):
    """A response from an endpoint"""

    status_code: HTTPStatus
    content: bytes
    headers: MutableMapping[str, str]
    parsed: T | None


class Model:
    """What the models share: the properties the document does not name, kept in
    `additional_properties` and read and written as items (`model["key"]`)."""

    __slots__ = ()
    additional_properties: dict[str, Any]

    def _fields(self, required: Mapping[str, Any], optional: Mapping[str, Any]) -> dict[str, Any]:
        """to_dict's answer: the additional properties, then the required fields, then the
        optional ones that are set."""
        return {
            **self.additional_properties,
            **required,
            **{key: value for key, value in optional.items() if value is not UNSET},
        }

    @classmethod
    def _with_additional(cls, additional: dict[str, Any], /, **fields: Any) -> Self:
        """from_dict's answer: the model of `fields`, with what is left of the dict as its
        additional properties."""
        model = cls(**fields)
        # The slot is each attrs subclass's: this class (no slots of its own) cannot name it.
        setattr(model, "additional_properties", additional)
        return model

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties


__all__ = ["UNSET", "File", "FileTypes", "Model", "RequestFiles", "Response", "Unset"]

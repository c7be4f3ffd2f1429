import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Matcher(_message.Message):
    __slots__ = ("type", "name", "pattern")
    class Type(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
        __slots__ = ()
        EQUAL: _ClassVar[Matcher.Type]
        REGEXP: _ClassVar[Matcher.Type]
        NOT_EQUAL: _ClassVar[Matcher.Type]
        NOT_REGEXP: _ClassVar[Matcher.Type]
    EQUAL: Matcher.Type
    REGEXP: Matcher.Type
    NOT_EQUAL: Matcher.Type
    NOT_REGEXP: Matcher.Type
    TYPE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    PATTERN_FIELD_NUMBER: _ClassVar[int]
    type: Matcher.Type
    name: str
    pattern: str
    def __init__(self, type: _Optional[_Union[Matcher.Type, str]] = ..., name: _Optional[str] = ..., pattern: _Optional[str] = ...) -> None: ...

class Comment(_message.Message):
    __slots__ = ("author", "comment", "timestamp")
    AUTHOR_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    TIMESTAMP_FIELD_NUMBER: _ClassVar[int]
    author: str
    comment: str
    timestamp: _timestamp_pb2.Timestamp
    def __init__(self, author: _Optional[str] = ..., comment: _Optional[str] = ..., timestamp: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class Silence(_message.Message):
    __slots__ = ("id", "matchers", "starts_at", "ends_at", "updated_at", "comments", "created_by", "comment")
    ID_FIELD_NUMBER: _ClassVar[int]
    MATCHERS_FIELD_NUMBER: _ClassVar[int]
    STARTS_AT_FIELD_NUMBER: _ClassVar[int]
    ENDS_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    COMMENTS_FIELD_NUMBER: _ClassVar[int]
    CREATED_BY_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    id: str
    matchers: _containers.RepeatedCompositeFieldContainer[Matcher]
    starts_at: _timestamp_pb2.Timestamp
    ends_at: _timestamp_pb2.Timestamp
    updated_at: _timestamp_pb2.Timestamp
    comments: _containers.RepeatedCompositeFieldContainer[Comment]
    created_by: str
    comment: str
    def __init__(self, id: _Optional[str] = ..., matchers: _Optional[_Iterable[_Union[Matcher, _Mapping]]] = ..., starts_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., ends_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., comments: _Optional[_Iterable[_Union[Comment, _Mapping]]] = ..., created_by: _Optional[str] = ..., comment: _Optional[str] = ...) -> None: ...

class MeshSilence(_message.Message):
    __slots__ = ("silence", "expires_at")
    SILENCE_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    silence: Silence
    expires_at: _timestamp_pb2.Timestamp
    def __init__(self, silence: _Optional[_Union[Silence, _Mapping]] = ..., expires_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

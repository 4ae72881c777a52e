from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Parameter(_message.Message):
    __slots__ = ("key", "documentation", "required")
    KEY_FIELD_NUMBER: _ClassVar[int]
    DOCUMENTATION_FIELD_NUMBER: _ClassVar[int]
    REQUIRED_FIELD_NUMBER: _ClassVar[int]
    key: str
    documentation: str
    required: bool
    def __init__(self, key: _Optional[str] = ..., documentation: _Optional[str] = ..., required: _Optional[bool] = ...) -> None: ...

class InfoRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class InfoResponse(_message.Message):
    __slots__ = ("name", "documentation", "settings", "subscription_parameters")
    NAME_FIELD_NUMBER: _ClassVar[int]
    DOCUMENTATION_FIELD_NUMBER: _ClassVar[int]
    SETTINGS_FIELD_NUMBER: _ClassVar[int]
    SUBSCRIPTION_PARAMETERS_FIELD_NUMBER: _ClassVar[int]
    name: str
    documentation: str
    settings: _containers.RepeatedCompositeFieldContainer[Parameter]
    subscription_parameters: _containers.RepeatedCompositeFieldContainer[Parameter]
    def __init__(self, name: _Optional[str] = ..., documentation: _Optional[str] = ..., settings: _Optional[_Iterable[_Union[Parameter, _Mapping]]] = ..., subscription_parameters: _Optional[_Iterable[_Union[Parameter, _Mapping]]] = ...) -> None: ...

class Subscription(_message.Message):
    __slots__ = ("namespace", "pipeline", "label", "settings")
    class SettingsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    NAMESPACE_FIELD_NUMBER: _ClassVar[int]
    PIPELINE_FIELD_NUMBER: _ClassVar[int]
    LABEL_FIELD_NUMBER: _ClassVar[int]
    SETTINGS_FIELD_NUMBER: _ClassVar[int]
    namespace: str
    pipeline: str
    label: str
    settings: _containers.ScalarMap[str, str]
    def __init__(self, namespace: _Optional[str] = ..., pipeline: _Optional[str] = ..., label: _Optional[str] = ..., settings: _Optional[_Mapping[str, str]] = ...) -> None: ...

class SubscribeRequest(_message.Message):
    __slots__ = ("subscription",)
    SUBSCRIPTION_FIELD_NUMBER: _ClassVar[int]
    subscription: Subscription
    def __init__(self, subscription: _Optional[_Union[Subscription, _Mapping]] = ...) -> None: ...

class SubscribeResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class UnsubscribeRequest(_message.Message):
    __slots__ = ("subscription",)
    SUBSCRIPTION_FIELD_NUMBER: _ClassVar[int]
    subscription: Subscription
    def __init__(self, subscription: _Optional[_Union[Subscription, _Mapping]] = ...) -> None: ...

class UnsubscribeResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ExternalEventRequest(_message.Message):
    __slots__ = ("headers", "body")
    class HeadersEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    HEADERS_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    headers: _containers.ScalarMap[str, str]
    body: bytes
    def __init__(self, headers: _Optional[_Mapping[str, str]] = ..., body: _Optional[bytes] = ...) -> None: ...

class ExternalEventResponse(_message.Message):
    __slots__ = ("status", "message", "runs_started")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    RUNS_STARTED_FIELD_NUMBER: _ClassVar[int]
    status: int
    message: str
    runs_started: int
    def __init__(self, status: _Optional[int] = ..., message: _Optional[str] = ..., runs_started: _Optional[int] = ...) -> None: ...

class ShutdownRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ShutdownResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ReportEventRequest(_message.Message):
    __slots__ = ("event_id", "namespace", "pipeline", "label", "variables")
    class VariablesEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    NAMESPACE_FIELD_NUMBER: _ClassVar[int]
    PIPELINE_FIELD_NUMBER: _ClassVar[int]
    LABEL_FIELD_NUMBER: _ClassVar[int]
    VARIABLES_FIELD_NUMBER: _ClassVar[int]
    event_id: str
    namespace: str
    pipeline: str
    label: str
    variables: _containers.ScalarMap[str, str]
    def __init__(self, event_id: _Optional[str] = ..., namespace: _Optional[str] = ..., pipeline: _Optional[str] = ..., label: _Optional[str] = ..., variables: _Optional[_Mapping[str, str]] = ...) -> None: ...

class ReportEventResponse(_message.Message):
    __slots__ = ("run_id", "duplicate")
    RUN_ID_FIELD_NUMBER: _ClassVar[int]
    DUPLICATE_FIELD_NUMBER: _ClassVar[int]
    run_id: int
    duplicate: bool
    def __init__(self, run_id: _Optional[int] = ..., duplicate: _Optional[bool] = ...) -> None: ...

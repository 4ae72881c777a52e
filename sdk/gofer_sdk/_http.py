"""The HTTP plumbing under `GoferClient`: one httpx client, the API's error shape, streams."""

from __future__ import annotations

from collections.abc import Iterator
from types import TracebackType
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, TypeAdapter

from gofer_sdk.errors import ApiError, ConnectError

DEFAULT_HOST = "http://127.0.0.1:8080"
DEFAULT_NAMESPACE = "default"

Model = TypeVar("Model")


class HttpApi:
    """Sends requests to one Gofer API and turns its errors into `ApiError`/`ConnectError`."""

    def __init__(
        self,
        host: str = DEFAULT_HOST,
        *,
        namespace: str = DEFAULT_NAMESPACE,
        token: str | None = None,
        timeout: float = 30.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.namespace = namespace
        self._http = httpx.Client(
            base_url=host.rstrip("/"), headers=headers, timeout=timeout, transport=transport
        )

    def __exit__(self, *exc: object | TracebackType) -> None:
        self.close()

    def close(self) -> None:
        """Close the underlying connections."""
        self._http.close()

    def _ns(self, namespace: str | None) -> str:
        return f"/api/namespaces/{namespace or self.namespace}"

    def _pipeline(self, pipeline_id: str, namespace: str | None) -> str:
        return f"{self._ns(namespace)}/pipelines/{pipeline_id}"

    def _runs(self, pipeline_id: str, namespace: str | None) -> str:
        return f"{self._pipeline(pipeline_id, namespace)}/runs"

    def _call(self, method: str, path: str, shape: type[Model] | Any, **kwargs: Any) -> Model:
        data = self._request(method, path, **kwargs).json()
        if isinstance(shape, type) and issubclass(shape, BaseModel):
            return shape.model_validate(data)  # type: ignore[return-value]
        result: Model = TypeAdapter(shape).validate_python(data)
        return result

    def _request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        try:
            response = self._http.request(method, path, **kwargs)
        except httpx.TransportError as exc:
            raise ConnectError(f"cannot reach Gofer at {self._http.base_url}: {exc}") from exc
        if response.is_error:
            raise _api_error(response)
        return response

    def _stream(self, path: str, params: dict[str, Any], *, follow: bool) -> Iterator[bytes]:
        timeout = httpx.Timeout(self._http.timeout.connect, read=None) if follow else None
        try:
            with self._http.stream("GET", path, params=params, timeout=timeout) as response:
                if response.is_error:
                    response.read()
                    raise _api_error(response)
                yield from response.iter_bytes()
        except httpx.TransportError as exc:
            raise ConnectError(f"cannot reach Gofer at {self._http.base_url}: {exc}") from exc


def _api_error(response: httpx.Response) -> ApiError:
    try:
        error = response.json()["error"]
        return ApiError(response.status_code, error["code"], error["message"], error.get("details"))
    except (ValueError, KeyError, TypeError):
        return ApiError(
            response.status_code, "http_error", f"HTTP {response.status_code}: {response.text[:200]}"
        )

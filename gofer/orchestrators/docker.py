"""Docker (and Podman's Docker-compatible socket) through the docker SDK."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterator
from contextlib import suppress
from datetime import datetime
from typing import TypeVar

import docker
import docker.errors
from docker import APIClient
from docker.models.containers import Container
from docker.types import LogConfig

from gofer.orchestrators.base import (
    ContainerGone,
    ContainerPhase,
    ContainerSpec,
    ContainerStatus,
    ImageNotFound,
    OrchestratorError,
)

T = TypeVar("T")
# The name under which containers reach the host, as Docker Desktop defines it; on Linux Docker
# maps it to the bridge gateway when asked ("host-gateway").
HOST_ALIAS = "host.docker.internal"

_PHASES = {
    "created": ContainerPhase.CREATED,
    "running": ContainerPhase.RUNNING,
    "restarting": ContainerPhase.RUNNING,
    "paused": ContainerPhase.RUNNING,
}


class DockerOrchestrator:
    """Runs task containers on a Docker engine. Thread-safe: one HTTP pool shared by all calls."""

    def __init__(self, base_url: str | None = None, *, log_driver: str = "local") -> None:
        # The `local` log driver keeps output byte for byte; json-file rewrites invalid UTF-8.
        self._log_config = LogConfig(type=log_driver)
        # Each running task holds a log stream and a wait call: size the pool for wide fan-outs.
        try:
            self._docker = (
                docker.DockerClient(base_url=base_url, max_pool_size=128)
                if base_url
                else docker.from_env(max_pool_size=128)
            )
        except docker.errors.DockerException as exc:
            raise OrchestratorError(f"cannot reach the Docker engine: {exc}") from exc

    def default_api_url(self, port: int) -> str:
        return f"http://{HOST_ALIAS}:{port}"

    def bridge_gateway(self) -> str | None:
        """The host's address on Docker's default bridge network, where containers reach it."""
        try:
            configs = self._docker.api.inspect_network("bridge")["IPAM"]["Config"] or []
        except (docker.errors.APIError, KeyError):
            return None
        for config in configs:
            if config.get("Gateway"):
                return str(config["Gateway"])
            # Some engines leave Gateway out; theirs is then the subnet's first address.
            subnet = ipaddress.ip_network(config.get("Subnet", "::/128"))
            if subnet.version == 4:
                return str(subnet.network_address + 1)
        return None

    def ensure_image(self, image: str, *, always_pull: bool) -> str:
        local = None if always_pull else self._image_id(image)
        if local:
            return local
        try:
            return str(self._docker.images.pull(image).id)
        except docker.errors.APIError as exc:
            local = self._image_id(image)
            if local:
                return local  # keep working offline with the copy we have
            raise ImageNotFound(
                f"image '{image}' is not present and could not be pulled: {exc.explanation or exc}"
            ) from exc

    def status(self, name: str) -> ContainerStatus | None:
        try:
            container = self._docker.containers.get(name)
        except docker.errors.NotFound:
            return None
        except docker.errors.APIError as exc:
            raise OrchestratorError(f"cannot inspect container {name}: {exc}") from exc
        return _status(container)

    def create(self, spec: ContainerSpec) -> None:
        try:
            self._docker.containers.create(
                spec.image,
                command=spec.command,
                entrypoint=spec.entrypoint,
                name=spec.name,
                environment=spec.env,
                labels=spec.labels,
                detach=True,
                log_config=self._log_config,
                extra_hosts={HOST_ALIAS: "host-gateway"},
                # Published on loopback only, on a port Docker picks.
                ports={f"{port}/tcp": ("127.0.0.1", None) for port in spec.publish},  # type: ignore[misc]
            )
        except docker.errors.ImageNotFound as exc:
            raise ImageNotFound(f"image '{spec.image}' not found: {exc.explanation}") from exc
        except docker.errors.APIError as exc:
            raise OrchestratorError(f"cannot create container {spec.name}: {exc}") from exc

    # Container calls go through the low-level API by name: the high-level `containers.get(name)`
    # would add an inspect before every call, and an inspect racing a container's exit can take
    # ~100 ms.
    def start(self, name: str) -> None:
        self._call(name, lambda api: api.start(name))

    def logs(self, name: str, *, follow: bool = True) -> Iterator[bytes]:
        stream = self._call(
            name, lambda api: api.logs(name, stdout=True, stderr=True, stream=True, follow=follow)
        )
        try:
            yield from stream
        except docker.errors.APIError as exc:
            raise OrchestratorError(f"log stream of {name} broke: {exc}") from exc

    def wait(self, name: str) -> int:
        result = self._call(name, lambda api: api.wait(name))
        return int(result["StatusCode"])

    def stop(self, name: str, *, grace_period: float) -> None:
        with suppress(ContainerGone):
            self._call(name, lambda api: api.stop(name, timeout=max(int(grace_period), 0)))

    def remove(self, name: str) -> None:
        with suppress(ContainerGone):
            self._call(name, lambda api: api.remove_container(name, force=True))

    def published_address(self, name: str, port: int) -> str:
        bindings = self._call(name, lambda api: api.port(name, port)) or []
        if not bindings:
            raise OrchestratorError(f"container {name} does not publish port {port}")
        return f"127.0.0.1:{bindings[0]['HostPort']}"

    def names_labelled(self, key: str, value: str) -> list[str]:
        try:
            found = self._docker.api.containers(all=True, filters={"label": f"{key}={value}"})
        except docker.errors.APIError as exc:
            raise OrchestratorError(f"cannot list containers labelled {key}={value}: {exc}") from exc
        return [str(c["Names"][0]).lstrip("/") for c in found]

    def _image_id(self, image: str) -> str | None:
        try:
            return str(self._docker.images.get(image).id)
        except docker.errors.ImageNotFound:
            return None
        except docker.errors.APIError as exc:
            raise OrchestratorError(f"cannot inspect image {image}: {exc}") from exc

    def _call(self, name: str, action: Callable[[APIClient], T]) -> T:
        try:
            return action(self._docker.api)
        except docker.errors.NotFound as exc:
            raise ContainerGone(f"container {name} no longer exists") from exc
        except docker.errors.APIError as exc:
            raise OrchestratorError(f"docker failed on container {name}: {exc}") from exc


def _status(container: Container) -> ContainerStatus:
    state = container.attrs["State"]
    phase = _PHASES.get(state["Status"], ContainerPhase.EXITED)
    started = state.get("StartedAt")
    started_at = _parse_time(started) if phase != ContainerPhase.CREATED else None
    return ContainerStatus(
        phase=phase,
        exit_code=state.get("ExitCode") if phase == ContainerPhase.EXITED else None,
        started_at=started_at,
        image_digest=container.attrs.get("Image"),
    )


def _parse_time(text: str | None) -> datetime | None:
    # Docker reports nanoseconds ("...:05.123456789Z"); Python parses at most microseconds.
    if not text:
        return None
    return datetime.fromisoformat(text[:26].rstrip("Z") + "+00:00")

"""The interface every container backend implements, and its errors."""

from __future__ import annotations

import enum
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol


class OrchestratorError(Exception):
    """A container operation failed for a reason that may pass (daemon busy, network)."""


class ImageNotFound(OrchestratorError):
    """The image is not present and cannot be pulled: retrying will not help."""


class ContainerGone(OrchestratorError):
    """The container was removed behind Gofer's back."""


class ContainerPhase(enum.StrEnum):
    CREATED = "created"
    RUNNING = "running"
    EXITED = "exited"


@dataclass(frozen=True)
class ContainerSpec:
    name: str
    image: str
    command: list[str] | None = None
    entrypoint: list[str] | None = None
    env: dict[str, str] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    publish: tuple[int, ...] = ()  # container ports this machine must reach (on loopback)


@dataclass(frozen=True)
class ContainerStatus:
    phase: ContainerPhase
    exit_code: int | None
    started_at: datetime | None
    image_digest: str | None = None


class Orchestrator(Protocol):
    """Runs containers by name. Every method is blocking and safe to call from threads."""

    def default_api_url(self, port: int) -> str:
        """The URL at which containers reach ``port`` on the machine running Gofer."""

    def ensure_image(self, image: str, *, always_pull: bool) -> str:
        """Make ``image`` available locally (pulling when missing or when ``always_pull``);
        return the id of the image that will run."""

    def status(self, name: str) -> ContainerStatus | None:
        """Return the container's status, or None if no container has that name."""

    def create(self, spec: ContainerSpec) -> None:
        """Create (not start) a container."""

    def start(self, name: str) -> None:
        """Start a created container."""

    def logs(self, name: str, *, follow: bool = True) -> Iterator[bytes]:
        """Yield stdout and stderr from the first byte; with ``follow``, until the container exits."""

    def wait(self, name: str) -> int:
        """Block until the container exits; return its exit code."""

    def stop(self, name: str, *, grace_period: float) -> None:
        """SIGTERM, then SIGKILL after ``grace_period`` seconds."""

    def remove(self, name: str) -> None:
        """Remove the container; a container that is already gone is fine."""

    def published_address(self, name: str, port: int) -> str:
        """host:port at which this machine reaches the container's published ``port``."""

    def names_labelled(self, key: str, value: str) -> list[str]:
        """Every container (running or not) with the label ``key=value``."""

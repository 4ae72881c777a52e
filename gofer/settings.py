"""Settings for the server, the worker and `gofer up`, from flags or `GOFER_*` variables.

Entrypoints build one `Settings` and pass it down; no module reads the environment itself.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="GOFER_")

    data_dir: Path = Field(default=Path.home() / ".gofer", description="Store, logs, Temporal database.")
    database_url: str | None = Field(default=None, description="SQLAlchemy URL; SQLite in data_dir if unset.")
    temporal_address: str = "127.0.0.1:7233"
    temporal_namespace: str = "default"
    temporal_connect_timeout: float = Field(
        default=30.0, ge=0, description="Seconds to keep trying to connect."
    )
    temporal_ui_port: int = 8233
    task_queue: str = "gofer-runs"
    api_host: str = "127.0.0.1"
    api_port: int = 8080
    task_api_url: str | None = Field(
        default=None,
        description="Where task containers reach the API (GOFER_HOST with inject_api_token); "
        "default: the API port on the Docker host, which the API also listens on.",
    )
    webhook_port: int | None = Field(
        default=None,
        description="Also serve the webhook ingress alone on this port (the one to expose to the internet).",
    )
    webhook_host: str = Field(default="0.0.0.0", description="Address of the webhook-only port.")
    trigger_gateway_port: int = Field(
        default=8090, description="Port of the gRPC gateway triggers report to."
    )
    trigger_gateway_address: str | None = Field(
        default=None,
        description="host:port at which trigger containers reach the gateway (default: the Docker host).",
    )
    trigger_check_interval: float = Field(
        default=5.0, gt=0, description="Seconds between trigger health checks."
    )
    heartbeat_timeout: float = Field(
        default=10.0, gt=0, description="Seconds before a silent task is retried."
    )
    stop_grace_period: float = Field(default=10.0, ge=0, description="SIGTERM to SIGKILL, seconds.")
    global_parallelism: int = Field(default=0, ge=0, description="Runs at once across Gofer; 0: no limit.")
    event_retention_hours: float = Field(default=24 * 7, gt=0, description="How long events are kept.")
    secret_key: str | None = Field(
        default=None, description="Base64 AES-256 key that seals secrets (`gofer secret new-key` makes one)."
    )
    auth_required: bool = Field(default=True, description="Every route but /api/health needs a token.")
    dev_mode: bool = Field(default=False, description="`gofer up`: a generated secret key kept in data_dir.")
    object_limit: int = Field(default=50, ge=1, description="Pipeline objects kept; the oldest go first.")
    run_object_expiry: int = Field(
        default=20, ge=1, description="A run's objects go when the run this many runs newer completes."
    )
    web_ui_url: str | None = Field(default=None, description="Temporal Web UI base URL for run links.")

    @property
    def store_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'gofer.db'}"

    @property
    def object_dir(self) -> Path:
        return self.data_dir / "objects"

    @property
    def log_dir(self) -> Path:
        return self.data_dir / "logs"

    def ensure_dirs(self) -> None:
        self.log_dir.mkdir(parents=True, exist_ok=True)

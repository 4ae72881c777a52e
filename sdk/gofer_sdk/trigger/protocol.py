"""What both sides of the trigger protocol agree on, besides proto/: environment and metadata."""

from __future__ import annotations

import hmac

# Environment Gofer gives a trigger container.
ENV_KEY = "GOFER_TRIGGER_KEY"  # fresh for every start of the container
ENV_NAME = "GOFER_TRIGGER_NAME"
ENV_PORT = "GOFER_TRIGGER_PORT"  # where the container serves the Trigger service
ENV_GATEWAY = "GOFER_TRIGGER_GATEWAY"  # host:port of Gofer's Gateway service
SETTING_PREFIX = "GOFER_TRIGGER_SETTING_"  # + upper-cased setting key
DEFAULT_PORT = 8080

# gRPC metadata on every call, both directions.
AUTHORIZATION = "authorization"  # "Bearer <key>"
TRIGGER_NAME = "gofer-trigger"  # which trigger calls the gateway


def bearer(key: str) -> str:
    return f"Bearer {key}"


def key_matches(metadata: dict[str, str], key: str) -> bool:
    """Constant-time check of the call's authorization against ``key``."""
    return hmac.compare_digest(metadata.get(AUTHORIZATION, "").encode(), bearer(key).encode())

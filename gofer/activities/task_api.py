"""`inject_api_token: true`: what a task needs to call Gofer's API from inside its container."""

from __future__ import annotations

from dataclasses import dataclass

from gofer.models import TaskAttemptInput
from gofer.store.crypto import SecretCipher
from gofer.store.tokens import PREFIX, TokenStore


@dataclass(frozen=True)
class TaskApiAccess:
    tokens: TokenStore
    cipher: SecretCipher
    api_url: str  # where containers reach the API (GOFER_HOST inside the task)

    def env_for(self, attempt: TaskAttemptInput) -> dict[str, str]:
        """GOFER_HOST and a run token scoped to the attempt's pipeline, deleted when the run ends.

        The token is derived from the secret key and the container's name, so a retried activity
        finds the same token (to mask it again) instead of minting a second one.
        """
        secret = PREFIX + self.cipher.derive(f"run-token/{attempt.container_name}")
        run = attempt.run
        self.tokens.ensure_run_token(
            secret, run, f"run {run.run_id} of {run.namespace}/{run.pipeline}, task {attempt.task.id}"
        )
        return {"GOFER_HOST": self.api_url, "GOFER_API_TOKEN": secret}

"""Container backends behind one interface (`base.Orchestrator`). Only this package talks to
Docker or Kubernetes; vendor errors become `OrchestratorError`s here."""

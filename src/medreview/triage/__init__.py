"""The triage decision: a coordinator accepts the engine's recommended path or overrides it."""

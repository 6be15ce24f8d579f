"""The audit trail: every state change writes an event, chained by hash, in its transaction."""

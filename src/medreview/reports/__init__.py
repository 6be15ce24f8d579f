"""What a physician makes of an assignment, to the report the client reads."""

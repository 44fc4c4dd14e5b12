"""Self-contained widgets of the interface (each carries its own DEFAULT_CSS)."""

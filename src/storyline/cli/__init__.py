"""Command-line interface: typer commands, one module per group."""

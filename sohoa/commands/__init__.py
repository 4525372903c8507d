"""Sub-commands of `sohoa`, one module per area, each exposing a Typer app or commands registered in cli.py."""

"""One module per subcommand; each exposes `command` and imports its heavy modules inside."""

"""The command line, the only layer that prints: `main` (argument parsing, one-line
errors, signals), `progress` and `summary` (stderr), `checks` (what `doctor` runs), and one
module per subcommand: HELP, optional EPILOG, add_arguments(parser), run(args) -> int.

To add a subcommand, write its module here and list it in COMMANDS.
"""

COMMANDS = [
    "extract",
    "batch",
    "schema",
    "report",
    "review",
    "eval",
    "table",
    "timeline",
    "doctor",
    "models",
]

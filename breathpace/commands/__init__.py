"""One module per `breathpace` subcommand, imported only when that command runs."""

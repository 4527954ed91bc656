"""Connection-string parsers, one module per connector family."""

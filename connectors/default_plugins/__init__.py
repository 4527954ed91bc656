"""The built-in connectors, each written exactly as a third-party plugin would be."""

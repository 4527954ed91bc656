"""Hub scripts: discovery, schema inference, the local runner, export and publish."""

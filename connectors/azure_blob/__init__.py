"""The azure_blob connector's internals: parsing, values, the driver and the live check."""

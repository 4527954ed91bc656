"""The redis connector's internals: parsing, values, the driver and the live check."""

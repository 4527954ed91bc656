"""Object storage: S3Object and Windmill's load/write/delete/sign helpers, on any store."""

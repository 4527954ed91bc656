"""The environment variables an S3 block is written with (AWS, R2, MinIO and the usual bucket
names). Imported for detection, without the parser."""

from __future__ import annotations

ACCESS_VARS = ("AWS_ACCESS_KEY_ID", "R2_ACCESS_KEY_ID", "MINIO_ACCESS_KEY", "MINIO_ROOT_USER")
SECRET_VARS = (
    "AWS_SECRET_ACCESS_KEY",
    "R2_SECRET_ACCESS_KEY",
    "MINIO_SECRET_KEY",
    "MINIO_ROOT_PASSWORD",
)
TOKEN_VARS = ("AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN")
REGION_VARS = ("AWS_REGION", "AWS_DEFAULT_REGION")
ENDPOINT_VARS = ("AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL", "S3_ENDPOINT", "R2_ENDPOINT")
BUCKET_VARS = (
    "S3_BUCKET",
    "S3_BUCKET_NAME",
    "AWS_S3_BUCKET",
    "AWS_BUCKET",
    "AWS_BUCKET_NAME",
    "AWS_STORAGE_BUCKET_NAME",
    "R2_BUCKET",
    "BUCKET",
    "BUCKET_NAME",
)
STYLE_VARS = ("AWS_S3_ADDRESSING_STYLE", "S3_FORCE_PATH_STYLE", "AWS_S3_FORCE_PATH_STYLE")
PREFIX_VARS = ("S3_PREFIX",)
KNOWN_VARS = frozenset(
    (
        *ACCESS_VARS,
        *SECRET_VARS,
        *TOKEN_VARS,
        *REGION_VARS,
        *ENDPOINT_VARS,
        *BUCKET_VARS,
        *STYLE_VARS,
        *PREFIX_VARS,
    )
)


#: every name in KNOWN_VARS holds one of these (tests/test_detect_schemes.py)
VAR_WORDS = ("AWS_", "BUCKET", "MINIO_", "R2_", "S3_")

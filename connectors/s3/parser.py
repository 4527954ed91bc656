"""S3 strings -> ``s3`` values, and back.

Accepted inputs (reference/connstrings.md section 4):

- ``s3://<bucket>[/<prefix>]`` URIs (also ``s3a://``, ``s3n://``); the key part is literal, as in
  the AWS CLI (no percent-decoding);
- AWS URLs, virtual-hosted (``https://<bucket>.s3.<region>.amazonaws.com/<key>``) and path-style
  (``https://s3.<region>.amazonaws.com/<bucket>/<key>``), with every region form: dot and legacy
  dash regions, ``dualstack``, ``s3-fips``, China (``.amazonaws.com.cn``), the global endpoint
  ``s3.amazonaws.com`` and ``s3-external-1`` (region ``us-east-1``), transfer acceleration (no
  region) and S3 Express directory buckets; the path is percent-decoded;
- Cloudflare R2 account endpoints ``https://<account>[.<jurisdiction>].r2.cloudflarestorage.com``
  with the bucket in the path or as the first host label; region ``auto``;
- any other endpoint (MinIO, Ceph, LocalStack, ...): path style, the bucket is the first path
  segment, region ``us-east-1`` (MinIO's default);
- a block of environment variables (``KEY=VALUE`` lines, ``export`` lines, ``.env``):
  AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_REGION / AWS_DEFAULT_REGION,
  AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL, a bucket variable (S3_BUCKET, AWS_S3_BUCKET,
  AWS_STORAGE_BUCKET_NAME, ...), the addressing style (AWS_S3_ADDRESSING_STYLE=path|virtual, or
  S3_FORCE_PATH_STYLE=true|false) and S3_PREFIX.

The value is the 2026 hub ``s3`` shape with ``endPoint`` a full URL (``useSSL`` agrees with its
scheme, no ``port``), plus the extension fields ``token`` (the session token, Windmill's own
backend field) and ``prefix`` (the key or prefix the string pointed at; informational).
Empty ``accessKey``/``secretKey`` mean the default AWS credential chain.

``to_connection_string`` gives the shortest native form that parses back to the same value: the
``s3://`` URI or the endpoint URL with the bucket when the value holds no credentials, else the
environment block.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from connectors.errors import ParseError
from connectors.parsing import (
    check_host,
    find_first,
    parse_env_block,
    percent_decode,
    split_host_port,
)
from connectors.resource import Resource
from connectors.s3.endpoint import (
    Endpoint,
    endpoint_of,
    has_endpoint,
    is_aws_host,
    is_local,
    is_r2_host,
    is_virtual_hostable,
    path_style,
)
from connectors.s3.hosts import aws_host_parts, r2_host_parts
from connectors.s3.variables import (
    ACCESS_VARS,
    BUCKET_VARS,
    ENDPOINT_VARS,
    KNOWN_VARS,
    PREFIX_VARS,
    REGION_VARS,
    SECRET_VARS,
    STYLE_VARS,
    TOKEN_VARS,
    VAR_WORDS,
)
from connectors.s3.vendors import (
    CONSOLE_SUFFIX,
    privatelink_parts,
    provider_of_host,
    vendor_host_parts,
    vendor_of,
)

TYPE = "s3"
_URI_SCHEMES = ("s3://", "s3a://", "s3n://")


def looks_like_env_block(text: str) -> bool:
    """Whether ``text`` is a ``KEY=VALUE`` block with at least one variable this parser reads."""
    # Substring tests first: parse_env_block is ~30x slower and detection runs on every input.
    if "_" not in text and "BUCKET" not in text:  # every other word has a '_'
        return False
    for word in VAR_WORDS:  # a loop, not any(): detection runs on every text
        if word in text:
            break
    else:
        return False
    for name in KNOWN_VARS:
        if name in text:
            return _has_known_var(parse_env_block(text))
    return False


def _has_known_var(env: dict[str, str]) -> bool:
    return not KNOWN_VARS.isdisjoint(env)


def parse(text: str) -> Resource:
    """Parse an S3 URI, endpoint URL or environment block into an ``s3`` Resource."""
    stripped = text.strip()
    lowered = stripped.lower()
    if lowered.startswith(_URI_SCHEMES):
        return _parse_uri(stripped)
    if lowered.startswith(("http://", "https://")):
        return _finish(*_parse_url(stripped))
    env = parse_env_block(stripped)
    if _has_known_var(env):
        return _parse_env(env, stripped)
    # An AWS or R2 host without its scheme, as consoles show it: read as https.
    authority = lowered.split("/", 1)[0]
    host = authority.split(":")[0]
    if " " not in authority and (is_aws_host(host) or is_r2_host(host) or vendor_of(host)):
        return _finish(*_parse_url("https://" + stripped, offset=-len("https://")))
    raise _error("not an s3:// URI, an S3 endpoint URL or a block of AWS_* variables", 0)


def _error(message: str, position: int | None = None, hint: str | None = None) -> ParseError:
    return ParseError(message, position=position, type_name=TYPE, hint=hint)


# -- s3:// URIs ---------------------------------------------------------------------------------


def _parse_uri(text: str) -> Resource:
    scheme_end = text.index("://") + 3
    rest = text[scheme_end:]
    bucket, _, prefix = rest.partition("/")
    if not bucket:
        raise _error("the s3:// URI has no bucket", scheme_end)
    if "@" in bucket or ":" in bucket:
        raise _error("credentials or a port in an s3:// URI are not supported", scheme_end)
    _check_bucket(bucket, scheme_end)
    value = _value(bucket=bucket, region="", endpoint=None, path=not is_virtual_hostable(bucket))
    if prefix:
        value["prefix"] = prefix
    return _finish(value, [])


# -- endpoint URLs ------------------------------------------------------------------------------


def _parse_url(text: str, offset: int = 0) -> tuple[dict[str, Any], list[str]]:
    """The value an endpoint URL describes, and the notes only the input implies."""
    scheme_end = text.index("://")
    scheme = text[:scheme_end].lower()
    start = scheme_end + 3
    end = find_first(text, "/?#", start)
    authority = text[start:end]
    if "@" in authority:
        raise _error("credentials inside an endpoint URL are not supported", offset + start)
    if not authority:
        raise _error("the URL has no host", offset + start)
    hostport = split_host_port(authority, offset=offset + start)
    host = hostport.host.lower().rstrip(".")
    check_host(host, position=offset + start, type_name=TYPE)
    if host.endswith(CONSOLE_SUFFIX):
        return _parse_console(text, end, offset)
    path_end = find_first(text, "?#", end)
    extra: list[str] = []
    if path_end < len(text):
        extra.append("the URL's query string and fragment are not part of the resource")
    path = text[end:path_end]
    if "\0" in path:  # %00 is refused in the path: so is the raw byte, which no URL holds
        raise _error("a NUL character in the URL path", offset + end + path.index("\0"))
    segments = path[1:].split("/", 1) if path.startswith("/") else [""]
    path_bucket = percent_decode(segments[0], offset=offset + end + 1, what="bucket")
    key_text = segments[1] if len(segments) > 1 else ""
    key = percent_decode(key_text, offset=offset + end + 2 + len(segments[0]), what="object key")
    host_bucket, region, base, notes = _host_parts(host, offset + start)
    extra.extend(notes)
    endpoint = Endpoint(scheme, base, hostport.port)
    if host_bucket:
        bucket, prefix, path_addressing = host_bucket, (path[1:] and _join(path_bucket, key)), False
    else:
        if not path_bucket and key:
            raise _error("empty bucket name in the URL path ('//')", offset + end)
        _check_bucket(path_bucket, offset + end + 1)
        bucket, prefix, path_addressing = path_bucket, key, True
    value = _value(bucket=bucket, region=region, endpoint=endpoint, path=path_addressing)
    if prefix:
        value["prefix"] = prefix
    return value, extra


def _parse_console(text: str, path_at: int, offset: int) -> tuple[dict[str, Any], list[str]]:
    """An AWS console URL: ``/s3/buckets/<bucket>?region=..&prefix=..`` (or ``/s3/object/``)."""
    from urllib.parse import parse_qs

    path, _, query = text[path_at:].partition("?")
    parts = path.strip("/").split("/")
    if len(parts) < 3 or parts[0] != "s3" or parts[1] not in ("buckets", "object") or not parts[2]:
        raise _error(
            "an AWS console URL that names no bucket",
            offset + path_at,
            hint="https://s3.console.aws.amazon.com/s3/buckets/<bucket>?region=<region>",
        )
    bucket = percent_decode(parts[2], offset=offset + path_at, what="bucket")
    _check_bucket(bucket, offset + path_at)
    params = parse_qs(query.partition("#")[0])
    region = params.get("region", [""])[0]
    _check_region(region, "the console URL's region", offset + path_at + len(path) + 1)
    value = _value(
        bucket=bucket, region=region, endpoint=None, path=not is_virtual_hostable(bucket)
    )
    prefix = params.get("prefix", [""])[0]
    if prefix:
        value["prefix"] = prefix
    notes = ["read from an AWS console URL: bucket and region, no endpoint (AWS)"]
    return value, notes


def _host_parts(host: str, position: int) -> tuple[str, str, str, list[str]]:
    """(bucket from the host, region, endpoint host without the bucket, notes) for any host."""
    if host.endswith(".vpce.amazonaws.com"):
        found = privatelink_parts(host)
        if found is not None:
            return found
    if is_aws_host(host):
        return aws_host_parts(host, position)
    vendor = vendor_of(host)
    if vendor is not None:
        return vendor_host_parts(host, vendor)
    if is_r2_host(host):
        return r2_host_parts(host)
    return "", "us-east-1", host, []  # any other endpoint: path style, MinIO's default region


def _check_bucket(bucket: str, position: int) -> None:
    """No bucket name has control characters or spaces around it (an env block could not carry
    them back); botocore still addresses ``my bucket`` path-style, so inner spaces stay."""
    if bucket != bucket.strip() or not bucket.isprintable():
        raise _error("the bucket name has a control character or a space at its ends", position)


_REGION = re.compile(r"[A-Za-z0-9-]*")


def _check_region(region: str, where: str, position: int | None) -> None:
    """A region name is letters, digits and dashes (``eu-west-1``, ``auto``): anything else
    would only fail later, in the client's endpoint rules."""
    if not _REGION.fullmatch(region):
        message = f"{where} is not a region name (letters, digits and dashes only)"
        raise _error(message, position)


def _join(first: str, rest: str) -> str:
    return f"{first}/{rest}" if rest else first


# -- environment blocks -------------------------------------------------------------------------


def _first(env: dict[str, str], names: tuple[str, ...]) -> str | None:
    return next((env[name] for name in names if name in env), None)


def _parse_env(env: dict[str, str], text: str = "") -> Resource:
    extra: list[str] = []
    unknown = sorted(key for key in env if key not in KNOWN_VARS)
    if unknown:
        extra.append(f"ignored variables: {', '.join(unknown)}")
    access = _first(env, ACCESS_VARS) or ""
    secret = _first(env, SECRET_VARS) or ""
    if bool(access) != bool(secret):
        missing = "secret access key" if access else "access key id"
        raise _error(f"the block has one credential but not its {missing}")
    endpoint, region_from_host, host_bucket = _env_endpoint(_first(env, ENDPOINT_VARS), extra)
    bucket = _first(env, BUCKET_VARS) or host_bucket
    both_regions = {"AWS_REGION", "AWS_DEFAULT_REGION"} <= env.keys()
    if both_regions and env["AWS_REGION"] != env["AWS_DEFAULT_REGION"]:
        extra.append("AWS_REGION and AWS_DEFAULT_REGION differ; AWS_REGION is used")
    explicit_region = _first(env, REGION_VARS)
    if explicit_region is not None:
        name = next(name for name in REGION_VARS if name in env)
        _check_region(explicit_region, name, _position_of(text, name))
    region = explicit_region if explicit_region is not None else region_from_host
    style = _first(env, STYLE_VARS)
    path = _default_path_style(endpoint, bucket) if style is None else _path_style_of(style)
    value = _value(bucket=bucket, region=region, endpoint=endpoint, path=path)
    value["accessKey"], value["secretKey"] = access, secret
    token = _first(env, TOKEN_VARS)
    if token:
        value["token"] = token
    prefix = _first(env, PREFIX_VARS)
    if prefix:
        value["prefix"] = prefix
    return _finish(value, extra)


def _position_of(text: str, name: str) -> int | None:
    """Where ``name=`` starts in the block ``text`` (None when not found)."""
    found = text.find(name)
    return found if found >= 0 else None


def _env_endpoint(text: str | None, extra: list[str]) -> tuple[Endpoint | None, str, str]:
    """(endpoint, region from its host, bucket from its host) of the endpoint variable."""
    if not text:
        return None, "", ""
    if not text.lower().startswith(("http://", "https://")):
        raise _error("the endpoint variable must be a URL with http:// or https://")
    parsed, notes = _parse_url(text)
    extra.extend(note for note in notes if "query" not in note)
    host_bucket = "" if parsed["pathStyle"] else parsed["bucket"]
    return endpoint_of(parsed), parsed["region"], host_bucket


def _default_path_style(endpoint: Endpoint | None, bucket: str) -> bool:
    """Path style on custom endpoints; on AWS only for a bucket that cannot be a host label."""
    if endpoint is not None and not is_aws_host(endpoint.host):
        return True
    return not is_virtual_hostable(bucket) if bucket else False


def _path_style_of(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in ("path", "true", "1", "yes"):
        return True
    if lowered in ("virtual", "false", "0", "no", "auto"):
        return False
    raise _error("the addressing style must be path or virtual (or true/false)")


# -- values, providers, notes -------------------------------------------------------------------


def _value(*, bucket: str, region: str, endpoint: Endpoint | None, path: bool) -> dict[str, Any]:
    return {
        "endPoint": endpoint.url if endpoint else "",
        "region": region,
        "pathStyle": path,
        "bucket": bucket,
        "accessKey": "",
        "secretKey": "",
        "useSSL": endpoint.use_ssl if endpoint else True,
    }


def provider_of(value: dict[str, Any]) -> str | None:
    """aws, r2 or minio (any local endpoint), from the endpoint; None for other services."""
    if not has_endpoint(value):
        return "aws"
    host = endpoint_of(value).host  # read once: is_aws would read it again
    if is_aws_host(host):
        return "aws"
    if is_r2_host(host):
        return "r2"
    return provider_of_host(host) or ("minio" if is_local(host) else None)


def value_notes(value: dict[str, Any], provider: str | None) -> list[str]:
    """The advice a value implies; the same value always gives the same notes."""
    notes: list[str] = []
    if not value.get("bucket"):
        notes.append("no bucket: set `bucket` before use")
    if not value.get("accessKey") and not value.get("secretKey"):
        notes.append(
            "no access keys: clients use the default AWS credential chain "
            "(environment, shared config, instance or task role)"
        )
    if value.get("token"):
        notes.append("temporary credentials (session token): they expire")
    if provider == "r2":
        notes.append("Cloudflare R2: region 'auto'")
    elif provider != "aws" and path_style(value):
        notes.append("custom endpoint: path-style addressing (<endpoint>/<bucket>/<key>)")
    if provider == "aws" and not value.get("region"):
        notes.append("no region: set `region` (Windmill derives the AWS endpoint from it)")
    if value.get("endPoint") and not endpoint_of(value).use_ssl:
        notes.append("plain HTTP endpoint: traffic and credentials are not encrypted")
    return notes


def _finish(value: dict[str, Any], extra: list[str]) -> Resource:
    provider = provider_of(value)
    return Resource(TYPE, value, provider=provider, notes=value_notes(value, provider) + extra)


# -- back to a string ---------------------------------------------------------------------------


def to_connection_string(resource: Resource) -> str:
    """The shortest native form whose parse gives ``resource.value`` back."""
    value = resource.value
    if not (value.get("accessKey") or value.get("secretKey") or value.get("token")):
        for candidate in (_uri_form(value), _url_form(value)):
            if candidate and _parses_to(candidate, value):
                return candidate
    return env_block(value)


def _parses_to(text: str, value: dict[str, Any]) -> bool:
    try:
        return parse(text).value == value
    except ParseError:
        return False


def _uri_form(value: dict[str, Any]) -> str | None:
    bucket = str(value.get("bucket") or "")
    if value.get("endPoint") or not bucket or "/" in bucket:
        return None
    prefix = str(value.get("prefix") or "")
    return f"s3://{bucket}/{prefix}" if prefix else f"s3://{bucket}"


def _url_form(value: dict[str, Any]) -> str | None:
    if not value.get("endPoint"):
        return None
    endpoint = endpoint_of(value)
    bucket = str(value.get("bucket") or "")
    prefix = quote(str(value.get("prefix") or ""), safe="/")
    if path_style(value):
        base = f"{endpoint.url}/{quote(bucket, safe='')}" if bucket else endpoint.url
    elif bucket:
        base = endpoint.with_bucket(bucket)
    else:
        return None
    return f"{base}/{prefix}" if prefix else base


def env_block(value: dict[str, Any]) -> str:
    """The value as AWS environment variables (what ``parse`` reads back)."""
    lines = []
    if value.get("accessKey") or value.get("secretKey"):
        lines.append(f"AWS_ACCESS_KEY_ID={value.get('accessKey') or ''}")
        lines.append(f"AWS_SECRET_ACCESS_KEY={value.get('secretKey') or ''}")
    if value.get("token"):
        lines.append(f"AWS_SESSION_TOKEN={value['token']}")
    lines.append(f"AWS_REGION={value.get('region') or ''}")
    if value.get("endPoint"):
        lines.append(f"AWS_ENDPOINT_URL_S3={endpoint_of(value).url}")
    lines.append(f"S3_BUCKET={value.get('bucket') or ''}")
    lines.append(f"AWS_S3_ADDRESSING_STYLE={'path' if path_style(value) else 'virtual'}")
    if value.get("prefix"):
        lines.append(f"S3_PREFIX={value['prefix']}")
    return "\n".join(lines)

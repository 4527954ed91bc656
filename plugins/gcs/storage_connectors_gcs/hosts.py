"""Google Cloud Storage's host names: imported for detection, without the parser."""

from __future__ import annotations

API_HOST = "storage.googleapis.com"
BROWSER_HOST = "storage.cloud.google.com"
CONSOLE_HOST = "console.cloud.google.com"

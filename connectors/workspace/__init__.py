"""The workspace: resources, variables and states kept between runs (see docs/workspace.md).

Modules: ``paths`` (Windmill path rules), ``crypto`` (AES-GCM, key file), ``store`` (the
interface, store selection, ``load_resource``), ``sql_store`` / ``sqlite_store`` /
``postgres_store`` / ``windmill_store`` (the back ends), ``references`` (``$var:``/``$res:``),
``sync_format`` (wmill sync export/import), ``env_import`` (environment variables to resources),
``resolve`` (what ``connectors check`` accepts).
"""

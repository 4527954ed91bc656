"""The workspace: resources, variables and states kept between runs (see docs/workspace.md).

Modules: ``paths`` (Windmill path rules), ``crypto`` (AES-GCM, key file), ``sealing`` (the key
file's life cycle, secrets sealed inside values), ``store`` (the interface, store selection,
``load_resource``), ``sql_database`` (tables, workspace key, rotation) under ``sql_store`` (the
SQL back end) / ``sqlite_store`` / ``postgres_store``, ``windmill_store`` (Windmill's API),
``references`` (``$var:``/``$res:``), ``sync_format`` (wmill sync export/import), ``env_import``
(environment variables to resources), ``resolve`` (what ``connectors check`` accepts).
"""

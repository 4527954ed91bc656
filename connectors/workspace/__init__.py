"""The workspace: resources, variables and states kept between runs (see docs/workspace.md).

Modules: ``paths`` (Windmill path rules), ``crypto`` (AES-GCM), ``keys`` (where the key lives),
``sealing`` (the key's life cycle, secrets sealed inside values), ``interface`` (the Store
interface and the checks every write passes), its implementations ``sql_store`` (the SQL tables,
under ``sqlite_store`` and ``postgres_store``) and ``windmill_store`` (Windmill's API), ``store``
(which implementation the environment selects, the local files), ``references``
(``$var:``/``$res:``), ``resolve`` (text or values to a Resource), ``sync_format`` (wmill sync
export/import), ``env_import`` (environment variables to resources).
"""

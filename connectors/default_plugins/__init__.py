"""The built-in plugins, one module per type, each naming its package ``connectors.<type>``.

Each type lives in one package, as a third-party distribution does: ``connectors.<type>.connector``
(its Connector and ``register_connectors`` hook), parser, values, check, client, exports and
``testing`` (its live-server recipe). These modules only point the plugin manager at them.
"""

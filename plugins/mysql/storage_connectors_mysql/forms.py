"""What tells a MySQL string's form at a glance: imported for detection, without the parser."""

from __future__ import annotations

#: the JDBC URL prefixes of MySQL Connector/J and MariaDB Connector/J
JDBC_PREFIXES = ("jdbc:mysql:", "jdbc:mariadb:")

#: keyword names (lower-cased) -> the value field they set; the rest are options
KEYWORDS = {
    "host": "host",
    "hostname": "host",
    "server": "host",
    "data source": "host",
    "datasource": "host",
    "address": "host",
    "addr": "host",
    "network address": "host",
    "port": "port",
    "user": "user",
    "username": "user",
    "uid": "user",
    "user id": "user",
    "userid": "user",
    "user name": "user",
    "password": "password",
    "pwd": "password",
    "passwd": "password",
    "database": "database",
    "dbname": "database",
    "db": "database",
    "initial catalog": "database",
}

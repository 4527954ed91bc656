"""What tells a MySQL string's form at a glance: imported for detection, without the parser."""

from __future__ import annotations

#: the JDBC URL prefixes of MySQL Connector/J and MariaDB Connector/J
JDBC_PREFIXES = ("jdbc:mysql:", "jdbc:mariadb:")

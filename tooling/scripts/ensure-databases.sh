#!/usr/bin/env bash
# Makes sure the local PostgreSQL and MariaDB servers the dialect tests use are running,
# starting them with the machine's own service commands when they are not.
set -u
wait_for() { # name, check command
  for _ in $(seq 1 30); do eval "$2" >/dev/null 2>&1 && return 0; sleep 1; done
  echo "ensure-databases: $1 did not come up" >&2
  return 1
}
status=0
if command -v pg_isready >/dev/null 2>&1; then
  if ! pg_isready -h 127.0.0.1 -p 5432 >/dev/null 2>&1; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start || true
  fi
  wait_for PostgreSQL "pg_isready -h 127.0.0.1 -p 5432" || status=1
else
  echo "ensure-databases: PostgreSQL client tools are not installed" >&2; status=1
fi
if command -v mariadb-admin >/dev/null 2>&1; then
  if ! mariadb-admin -h 127.0.0.1 -u root ping >/dev/null 2>&1; then
    start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd || true
  fi
  wait_for MariaDB "mariadb-admin -h 127.0.0.1 -u root ping" || status=1
else
  echo "ensure-databases: MariaDB client tools are not installed" >&2; status=1
fi
exit $status

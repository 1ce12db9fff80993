"""Where this machine's PostgreSQL and Redis are, for the production profile's tests."""

from bot.ops.profiles import Postgres

POSTGRES = Postgres(database="test")  # 127.0.0.1:5432, trust auth, user postgres

"""Where this machine's PostgreSQL and Redis are, for the production profile's tests."""

from bot.ops.profiles import Postgres

# 127.0.0.1:5432, user postgres, trust authentication: the password is not checked, but the
# production profile refuses to connect without one.
POSTGRES = Postgres(database="test", password="unchecked-by-trust-auth")

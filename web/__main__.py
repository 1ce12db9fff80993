"""`python -m web`: run the web app with settings from the environment."""

from __future__ import annotations

import os
import sys

from bot.limits.address import startup_warning
from web.settings import Settings, SettingsError


def main() -> int:
    try:
        settings = Settings.from_env()
    except SettingsError as error:
        print(f"Web app settings: {error}", file=sys.stderr)
        return 2
    from web.app import create_app  # after the settings check, so a bad setting fails fast

    app = create_app(settings)
    address = f"http://{settings.host}:{settings.port}"
    print(f"Web app on {address}, {settings.serves} (Rasa at {settings.rasa_url})", flush=True)
    warning = startup_warning(settings.host, os.environ)
    if warning:
        print(f"Warning: {warning}", file=sys.stderr, flush=True)
    # WEB_WORKERS > 1 (production profile): console sessions and sign-in limits live in the
    # database, so any worker can serve any request.
    workers = int(os.environ.get("WEB_WORKERS") or 1)
    app.run(host=settings.host, port=settings.port, access_log=False, motd=False, workers=workers)
    return 0


if __name__ == "__main__":
    sys.exit(main())

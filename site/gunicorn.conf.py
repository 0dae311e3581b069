"""gunicorn settings for `make run`: the production server, never the debugger."""

import os

wsgi_app = "app:create_app()"
pythonpath = os.path.dirname(os.path.abspath(__file__))
bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '5000')}"

# One sync worker per core, plus one to cover a worker waiting on SQLite.
# Measured with `make bench` on 2 cores: 3 workers beat gunicorn's usual
# 2 x cores + 1 = 5 when each notes PUT reopened SQLite (home 3,992 vs 3,341
# req/s; notes PUT p99 45 vs 81 ms). With kept connections and replayed pages,
# 2, 3 and 5 workers measure within noise of each other (home 6,272 / 6,615 /
# 6,854 req/s, notes PUT 1,963 / 1,975 / 1,989), so 3 stays: fewer processes,
# less memory. On a larger machine, measure again; WEB_CONCURRENCY overrides this.
workers = int(os.environ.get("WEB_CONCURRENCY", (os.cpu_count() or 1) + 1))

# Limits on what a client may send before the app sees it; gunicorn answers
# 400 past them. The GET login form puts a name of up to 500 characters in the
# URL, up to 6000 bytes percent-encoded; 8190 is the most gunicorn allows.
limit_request_line = 8190
limit_request_fields = 50
limit_request_field_size = 8190

# The app logs one JSON line per request (site/request_log.py) without the
# path, which holds visitors' names; gunicorn's access log would print it.
accesslog = None
errorlog = "-"

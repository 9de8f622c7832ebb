"""gunicorn's settings for a 2-core server: `gunicorn -c gunicorn.conf.py scrutiny.wsgi`.

Every request is short now that PDFs and large imports go to the worker (`manage.py db_worker`,
run beside gunicorn), so: one process per core plus one, each with a few threads for the time a
request waits on PostgreSQL; a timeout that only a stuck request reaches; workers renewed now and
then so memory never creeps. Measured with bench/load.py (see the README). Each setting can be
overridden on the command line or with GUNICORN_CMD_ARGS.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# (2 x cores) + 1 processes is gunicorn's rule for sync workers; with threads, cores + 1 keeps the
# memory of one Django process per core and the threads cover the waits on the database.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() + 1))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# No page takes long any more; a request still running after 30 s is stuck, and is killed.
timeout = 30
graceful_timeout = 30
keepalive = 5
# Renew each worker after about a thousand requests (spread out, so not all at once).
max_requests = 1000
max_requests_jitter = 100
# Load the application once, before forking: scrutiny/wsgi.py imports every view and compiles
# every template, so each process (renewed ones too) starts ready rather than spending a second
# on its first request.
preload_app = True
accesslog = "-"  # to the service's log, with the time each request took
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms'

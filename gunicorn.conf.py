# gunicorn -c gunicorn.conf.py wsgi:app
# The access log names the path only (%(U)s), never the query string: searches carry a
# visitor's place, insurance and poverty-guideline class.
import os

bind = "127.0.0.1:8000"
preload_app = True
# Two sync workers by default (WEB_CONCURRENCY or --workers for more): one slow request, a
# scrypt check or a throttled login, must not hold the whole site.
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# gunicorn 27's control socket sits at one path per user (~/.gunicorn/gunicorn.ctl), shared by
# every gunicorn that user runs; finder needs none.
control_socket_disable = True
accesslog = "-"
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(L)s'


def post_worker_init(worker):
    """No "Server: gunicorn" banner: gunicorn (27) writes its module-level SERVER name into
    every response's Server header."""
    import gunicorn.http.wsgi

    gunicorn.http.wsgi.SERVER = "finder"

"""gunicorn's settings for production and for `make bench` (which serves with them).

gunicorn reads this file from the directory it starts in; the README's command names it.

Threads, not one request per process: a request spends most of its time waiting for
PostgreSQL (its queries, and the flush of its COMMIT to disk). A sync worker sits idle
during that wait while the next request queues behind it; a bank feed delivering a burst
of transfers then waits for workers, not for work. Each of a worker's threads holds its
own database connection (Django's connections are per thread), so `workers × threads`
connections at most: 8 here, far under PostgreSQL's default 100.
"""

worker_class = "gthread"
workers = 2
threads = 4
# A statement import runs in the task worker, not here; a receipt batch PDF of a few
# hundred receipts is the longest request.
timeout = 120
# A threaded worker keeps a client's connection open between requests. At gunicorn's 2 s
# default it closed connections while readers were still on a page, and a client whose
# next request crossed the close got no answer (a browser asks again; the writes load's
# readers failed). Longer than the 5 s after which many clients drop an idle connection
# themselves: the client, not the server, then ends it.
keepalive = 10

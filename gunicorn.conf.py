"""gunicorn's settings wherever it is started from this folder (the Dockerfile's
CMD, docker-compose.yml, the production smoke test): gunicorn reads
./gunicorn.conf.py by default."""

# nginx in front accepts a request line up to its header buffer (8 KB); at
# gunicorn's default (4094 bytes) a search of some 450 Chinese characters got
# gunicorn's bare English "URI Too Long" page. At gunicorn's maximum the longest
# line nginx lets through is read, and a longer one gets nginx's 414, the
# portal's page.
limit_request_line = 8190

# Every target runs the same scripts CI and the Dockerfile use.
.PHONY: setup demo test test-fast bench serve loadtest lint

setup:            ## create .venv, install everything, assemble + verify the offline model
	scripts/setup.sh

demo:             ## set up, then brief the seed article on the offline model
	scripts/demo.sh

test:             ## set up, then run every test (real-model and browser tests included)
	scripts/test.sh

test-fast:        ## tests that need no real model
	scripts/test.sh -m "not slow and not browser"

bench:            ## llama.cpp vs transformers tokens/s and the seed brief's time per stage
	scripts/setup.sh && .venv/bin/brief bench

serve:            ## the HTTP service and editors' page on http://127.0.0.1:8000
	scripts/setup.sh && .venv/bin/brief serve

lint:             ## scripts/check: ruff (pycodestyle, pyflakes, bugbear, imports, pyupgrade) + mypy on service/
	scripts/setup.sh && scripts/check

loadtest:         ## bounded load test of /v1/briefs on loopback
	scripts/setup.sh && .venv/bin/python scripts/loadtest.py

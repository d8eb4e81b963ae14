# Shortcuts; the README's two commands work without make.
.PHONY: run test lint bench demo

run:
	python3 -m venv .venv && .venv/bin/pip install -q -r requirements.txt && .venv/bin/streamlit run dashboard.py --server.address=localhost

test:
	bash scripts/run_tests.sh

lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check . && .venv/bin/mypy

bench:
	.venv/bin/python bench/page_rerun.py
	.venv/bin/python bench/interactions.py
	.venv/bin/python bench/audience_load.py

demo:
	.venv/bin/python -m fixtures.load_demo --replace

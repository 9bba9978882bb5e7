# Two commands do everything on a fresh clone: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: run test setup lint format clean

$(BIN)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

setup: $(BIN)/.installed
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0

run: setup
	$(BIN)/python manage.py load_demo
	@echo "speechdraft: http://127.0.0.1:$(PORT)/"
	PORT=$(PORT) $(BIN)/gunicorn --config speechdraft/gunicorn.conf.py speechdraft.wsgi

lint: $(BIN)/.installed
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

format: $(BIN)/.installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The suite signs only its own test sessions; a key of its own lets it run on PostgreSQL
# (DATABASE_URL), where the settings refuse to start without one. An exported
# DJANGO_SECRET_KEY is kept.
test: export DJANGO_SECRET_KEY ?= make-test-only-not-a-deployment-key
test: setup lint
	$(BIN)/python -m pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) staticfiles

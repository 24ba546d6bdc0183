# Convenience targets; each is one plain command you can also type yourself.
.PHONY: run test generate ci

run:      ## run the product with the demo organization and sandbox
	go run ./cmd/switchboard serve --demo

test:     ## run every test (SQLite; PostgreSQL too when SWITCHBOARD_TEST_POSTGRES_DSN is set)
	go test ./...

generate: ## regenerate templ code and the Tailwind CSS (needs npm ci once)
	go generate ./views

ci:       ## what CI runs
	bash .ci/run

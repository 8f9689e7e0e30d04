# fanout platform: `make` lists the targets.
SHELL := /usr/bin/env bash
.DEFAULT_GOAL := help

JAVA_HOME := $(shell scripts/find-jdk.sh)
ifeq ($(JAVA_HOME),)
$(error no JDK >= 21 found; see the message above and README "Set-up")
endif
export JAVA_HOME
export PATH := $(JAVA_HOME)/bin:$(PATH)

JAVA_MAJOR := $(shell "$(JAVA_HOME)/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $$2}')
# JDK 24+ warns on every sun.misc.Unsafe use (Maven's Guava, ElasticMQ's Pekko); the flag does not exist before 24.
ifeq ($(shell [ "$(JAVA_MAJOR)" -ge 24 ] && echo new),new)
JVM_COMPAT_FLAGS := --sun-misc-unsafe-memory-access=allow
export MAVEN_OPTS := $(MAVEN_OPTS) $(JVM_COMPAT_FLAGS)
endif

MVN ?= mvn
MVN_FLAGS ?= -B -ntp -Dsurefire.jvm.args="-XX:+EnableDynamicAgentLoading $(JVM_COMPAT_FLAGS)"
ENV ?= dev
TF_DIR := terraform/envs/$(ENV)

.PHONY: help
help: ## list the targets
	@echo "fanout platform (JDK $(JAVA_MAJOR): $(JAVA_HOME))"
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-14s %s\n", $$1, $$2}'

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

.PHONY: deps
deps: node_modules/.package-lock.json ## install the node tools (dynalite, HCL parser) from the lockfile

.PHONY: build
build: deps ## compile every module and build the jars (no tests)
	$(MVN) $(MVN_FLAGS) -DskipTests package

.PHONY: test
test: deps ## run every test: Java unit and pipeline tests, schema and Terraform checks, the docs' diagrams
	node --test docs/test/*.test.mjs
	$(MVN) $(MVN_FLAGS) -DskipTests package
	@# The Terraform checks write target/terraform/envs/dev/state.json, the roles the end-to-end tests enforce (ADR 0045).
	@if [ -d terraform/test ]; then node --test terraform/test/*.test.mjs; fi
	$(MVN) $(MVN_FLAGS) verify
	@tools/test-reports-complete.sh

.PHONY: package
package: deps ## build each service's Lambda zips (services/<svc>/target/<svc>-function[-without-<clients>].zip, one per set of SDK clients its functions leave out), reproducibly
	$(MVN) $(MVN_FLAGS) -DskipTests package
	@for z in services/*/target/*-function*.zip; do [ -f "$$z" ] && printf '%10s  %s  %s\n' "$$(stat -c %s "$$z")" "$$(sha256sum "$$z" | cut -c1-16)" "$$z"; done; true

.PHONY: package-verify
package-verify: ## build the function zips twice from clean and check the bytes are identical
	@scripts/check-reproducible.sh

# The module whose class path holds the runtime and every service's handlers, and its main class
# (the runtime's Main options, plus seeded stock and the order-saga demo).
RUN_MODULE ?= local/app
RUN_MAIN ?= com.example.fanout.local.app.DemoMain
RUN_ARGS ?=
# When `make run` started (epoch ms): the demo reports how long the whole run took to finish its orders.
RUN_STARTED_MS := $(shell date +%s%3N)

.PHONY: run
run: deps ## start the whole platform locally with the order-saga demo, until Ctrl-C (RUN_ARGS="--clock-speed 60 --fault '*:duplicate=0.1'", see local/README.md)
	$(MVN) $(MVN_FLAGS) -q -pl $(RUN_MODULE) -am test-compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
	@AWS_EMF_ENVIRONMENT=Local FANOUT_RUN_STARTED_MS=$(RUN_STARTED_MS) exec "$(JAVA_HOME)/bin/java" $(JVM_COMPAT_FLAGS) \
	  -cp "$(RUN_MODULE)/target/classes:$$(cat $(RUN_MODULE)/target/classpath.txt)" $(RUN_MAIN) $(RUN_ARGS)

.PHONY: schemas-lock
schemas-lock: ## record the hash of new schema versions in schemas.lock (existing entries never change)
	$(MVN) $(MVN_FLAGS) -q -DskipTests -pl tools -am package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
	"$(JAVA_HOME)/bin/java" -cp "tools/target/classes:$$(cat tools/target/classpath.txt)" com.example.fanout.tools.SchemaLockTool "$(CURDIR)"

.PHONY: bench
bench: deps ## run every benchmark (about 10 min on 2 cores): JMH hot paths, publisher packing, cold start of every zip, the local pipeline; writes benchmarks/results/<date>.md, <date>-2.md for the day's second run (BENCH_ARGS="load=60 rounds=2 concurrency=1,2,4")
	$(MVN) $(MVN_FLAGS) -q -DskipTests -pl benchmarks -am package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
	@echo "benchmarking (functions' logs and JMH progress in benchmarks/target/bench.log)..."
	@AWS_EMF_ENVIRONMENT=Local "$(JAVA_HOME)/bin/java" $(JVM_COMPAT_FLAGS) -cp "benchmarks/target/classes:$$(cat benchmarks/target/classpath.txt)" \
	  com.example.fanout.benchmarks.BenchmarkMain benchmarks/results repo=$(CURDIR) $(BENCH_ARGS) > benchmarks/target/bench.log 2>&1 \
	  || { tail -40 benchmarks/target/bench.log; exit 1; }
	@sed -n '/^# Benchmark results/,$$p' benchmarks/target/bench.log

BENCH_ARGS ?=

CHAOS_ORDERS ?= 10000
CHAOS_MINUTES ?= 15

.PHONY: chaos
chaos: deps ## chaos run: CHAOS_ORDERS orders (10000) placed for at most CHAOS_MINUTES (15) under faults, then redrive and invariants; writes docs/reliability.md
	$(MVN) $(MVN_FLAGS) -q -pl local/app -am test-compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
	AWS_EMF_ENVIRONMENT=Local "$(JAVA_HOME)/bin/java" $(JVM_COMPAT_FLAGS) \
	  -cp "local/app/target/classes:$$(cat local/app/target/classpath.txt)" com.example.fanout.local.app.chaos.ChaosMain $(CHAOS_ORDERS) $(CHAOS_MINUTES) docs/reliability.md

.PHONY: diagrams
diagrams: deps ## regenerate docs/topology.md from the manifests, then parse every diagram in the docs with Mermaid
	$(MVN) $(MVN_FLAGS) -q -DskipTests -pl tools -am package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
	"$(JAVA_HOME)/bin/java" -cp "tools/target/classes:$$(cat tools/target/classpath.txt)" com.example.fanout.tools.TopologyDiagram "$(CURDIR)"
	node --test docs/test/*.test.mjs

.PHONY: contract
contract: ## regenerate terraform/contract.json (names, metrics, alarms shared by Java and Terraform) from shared-lib
	$(MVN) $(MVN_FLAGS) -q -DskipTests package -pl shared-lib -am
	$(MVN) $(MVN_FLAGS) -q -pl shared-lib exec:java -Dexec.mainClass=com.example.fanout.contract.PlatformContract -Dexec.args="$(CURDIR)"

.PHONY: clean
clean: ## remove build output
	$(MVN) $(MVN_FLAGS) -q clean

.PHONY: tf-validate
tf-validate: deps ## terraform fmt -check and validate every env and module, offline (the offline provider; no credentials)
	node terraform/tools/tf-offline.mjs validate

.PHONY: tf-json
tf-json: deps ## plan and apply each env offline into local state: target/terraform/envs/{dev,prod}/plan.json and state.json, and the runbook test services (target/terraform-runbooks/state.json) (needs make package)
	node terraform/tools/tf-offline.mjs json

.PHONY: tf-plan
tf-plan: ## terraform plan for ENV (default dev; needs terraform and AWS credentials)
	@command -v terraform >/dev/null || { echo "terraform is not installed" >&2; exit 2; }
	cd $(TF_DIR) && terraform init -input=false && terraform plan -input=false -out=tfplan

.PHONY: tf-apply
tf-apply: ## terraform apply the plan saved by tf-plan for ENV
	@command -v terraform >/dev/null || { echo "terraform is not installed" >&2; exit 2; }
	cd $(TF_DIR) && terraform apply -input=false tfplan

# --- ops CLI (ops-cli/README.md) ---------------------------------------------
ARGS ?= --help

.PHONY: fanout
fanout: ## run the ops CLI: make fanout ARGS="dlq inspect inventory-reserve-stock" (same as bin/fanout ...)
	@bin/fanout $(ARGS)

.PHONY: ops-test
ops-test: deps ## build ops-cli and run its tests (every runbook command against the local runtime)
	$(MVN) $(MVN_FLAGS) -pl ops-cli -am verify

# --- Terraform checks (see terraform/README.md) --------------------------------
.PHONY: tf-schema
tf-schema: deps ## regenerate terraform/test/aws-provider-schema.json (the offline provider's schema) from @cdktf/provider-aws 21.22.1 (downloads ~37 MB)
	node terraform/tools/extract-provider-schema.mjs $(if $(PROVIDER_AWS_DIR),--from $(PROVIDER_AWS_DIR))

.PHONY: tf-docs
tf-docs: deps ## regenerate the Inputs/Outputs tables of terraform/modules/*/README.md
	node terraform/tools/module-docs.mjs

.PHONY: tf-test
tf-test: deps ## run only the Terraform checks: real terraform offline (fmt, validate, test, plan, apply), policies, wiring (needs make package)
	node --test terraform/test/*.test.mjs

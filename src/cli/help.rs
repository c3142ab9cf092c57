//! The examples and exit codes each subcommand's `--help` ends with (kubectl's "Examples:"
//! section): what a user types first, and what the exit status means for a script.
//! `tests/cli_help.rs` checks that every flag an example uses is one the subcommand has.

pub(crate) const RENDER: &str = concat!(
    "Examples:\n",
    "  # Render every spec under specs/ to stdout\n",
    "  kubectl lbgen render -f specs/\n",
    "  # Write one file per object for Flux or Argo CD (removes files of objects no longer rendered)\n",
    "  kubectl lbgen render -f specs/ --out-dir rendered/\n",
    "  # Fail in CI when the committed rendering is stale\n",
    "  kubectl lbgen render -f specs/ --check-dir rendered/\n",
    "  # One spec, as a v1 List in JSON\n",
    "  kubectl lbgen render -f shop.yaml -o json\n\n",
    "Exit codes:\n  0  rendered (with --check-dir: the directory is current)\n  1  with --check-dir: the directory is stale\n  2  invalid input, policy violation or capability error; nothing written",
);

pub(crate) const VALIDATE: &str = concat!(
    "Examples:\n",
    "  # Check specs against the built-in rules and yours\n",
    "  kubectl lbgen validate -f specs/ --policy-dir policies/\n",
    "  # SARIF for code scanning, warnings failing the run\n",
    "  kubectl lbgen validate -f specs/ -o sarif --warnings-as-errors\n",
    "  # Annotations in a GitHub Actions step; GitLab Code Quality; JUnit XML\n",
    "  kubectl lbgen validate -f specs/ -o github\n",
    "  kubectl lbgen validate -f specs/ -o gitlab > gl-code-quality-report.json\n",
    "  # Run the rule tests of a policy directory\n",
    "  kubectl lbgen validate --policy-dir policies/ --test policies/tests/\n\n",
    "Exit codes:\n  0  valid\n  1  a rule test failed\n  2  invalid input, policy violation or capability error",
);

pub(crate) const SCHEMA: &str = concat!(
    "Examples:\n",
    "  # The JSON Schema of specs, for editors (yaml-language-server)\n",
    "  kubectl lbgen schema > lbgen.schema.json\n",
    "  # The schema of rule files\n",
    "  kubectl lbgen schema --policy\n\n",
    "Exit codes:\n  0  printed",
);

pub(crate) const EXPLAIN: &str = concat!(
    "Examples:\n",
    "  kubectl lbgen explain spec.stickiness.timeout\n",
    "  # Only what one provider makes of it (see --provider for the ids)\n",
    "  kubectl lbgen explain spec.healthCheck --provider ID\n",
    "  # A provider annotation: type, range, gate, writer, source (from the catalogues)\n",
    "  kubectl lbgen explain kubernetes.io/elb.lb-algorithm\n\n",
    "Exit codes:\n  0  explained\n  2  unknown field, annotation or provider",
);

pub(crate) const DIFF: &str = concat!(
    "Examples:\n",
    "  # Compare with the cluster of the current kubeconfig context\n",
    "  kubectl lbgen diff -f specs/\n",
    "  # Also list lbgen's objects that are no longer rendered, with a server-side dry run\n",
    "  kubectl lbgen diff -f specs/ --prune --server-side\n",
    "  # Compare with a saved snapshot (kubectl get -o yaml output) instead of a cluster\n",
    "  kubectl lbgen diff -f specs/ --live-dir snapshot/\n",
    "  # Block a pipeline only on changes that would take a load balancer away\n",
    "  kubectl lbgen diff -f specs/ --fail-on recreate\n",
    "  # The same as pull-request annotations (GitHub) or a JUnit report (a case per object)\n",
    "  kubectl lbgen diff -f specs/ --fail-on recreate -o github\n",
    "  kubectl lbgen diff -f specs/ --live-dir snapshot/ -o junit > lbgen-diff.xml\n\n",
    "Exit codes:\n  0  no difference (with --fail-on: none that disruptive)\n  1  differences found (with --fail-on: one at least that disruptive)\n  2  invalid input\n  3  cannot reach or read the cluster\n  n  KUBECTL_EXTERNAL_DIFF's own failure code (above 1), passed on as kubectl does",
);

pub(crate) const CHECK: &str = concat!(
    "Examples:\n",
    "  # Simulate the algorithm and stickiness the spec promises\n",
    "  kubectl lbgen check -f shop.yaml --requests 10000 --seed 7\n",
    "  # Drive a real proxy on this machine and judge what it did\n",
    "  kubectl lbgen check -f shop.yaml --target http://127.0.0.1:8080 --id-header x-backend\n",
    "  # A JUnit report with a test case per promise\n",
    "  kubectl lbgen check -f shop.yaml -o junit > lbgen-check.xml\n\n",
    "Exit codes:\n  0  traffic flows as promised\n  1  the data plane is off its promise\n  2  invalid input\n  3  cannot reach the target",
);

pub(crate) const CMP: &str = concat!(
    "Examples (as Argo CD's repo-server runs them, in the application directory):\n",
    "  kubectl lbgen cmp discover\n",
    "  PARAM_PROVIDER=ID kubectl lbgen cmp generate\n\n",
    "Exit codes:\n  0  manifests printed (discover: no output means not an lbgen application)\n  2  invalid input; nothing on stdout",
);

pub(crate) const KRM: &str = concat!(
    "Examples:\n",
    "  kpt fn eval --exec kubectl-lbgen -- krm   # kpt runs `kubectl-lbgen krm` itself\n",
    "  kubectl lbgen krm < resource-list.yaml\n\n",
    "Exit codes:\n  0  rendered ResourceList on stdout\n  1  results with errors are in the ResourceList\n  2  the input is not one ResourceList",
);

pub(crate) const COMPLETION: &str = concat!(
    "Examples:\n",
    "  source <(kubectl-lbgen completion bash)\n",
    "  # kubectl lbgen <TAB> (kubectl >= 1.26)\n",
    "  kubectl lbgen completion kubectl > ~/bin/kubectl_complete-lbgen && chmod +x ~/bin/kubectl_complete-lbgen\n\n",
    "Exit codes:\n  0  printed",
);

pub(crate) const MAN: &str = concat!(
    "Examples:\n",
    "  kubectl lbgen man | man -l -\n",
    "  kubectl lbgen man --dir /usr/local/share/man/man1\n\n",
    "Exit codes:\n  0  printed or written\n  2  the directory cannot be written",
);

pub(crate) const CATALOGUE: &str = concat!(
    "Examples:\n",
    "  # Every documented key of every provider, with totals\n",
    "  kubectl lbgen catalogue\n",
    "  # One provider, as JSON for scripts\n",
    "  kubectl lbgen catalogue --provider huawei -o json\n\n",
    "Exit codes:\n  0  printed\n  2  a built-in catalogue is broken (a bug in lbgen)",
);

pub(crate) const IMPORT: &str = concat!(
    "Examples:\n",
    "  # Specs of every Service and Ingress of a chart's output, report on stderr\n",
    "  helm template web ./chart > chart.yaml && kubectl lbgen import -f chart.yaml\n",
    "  # One spec file per object, the report as JSON, fail on anything not mapped\n",
    "  kubectl lbgen import -f manifests/ --out-dir specs --report import.json --strict\n\n",
    "Exit codes:\n  0  imported\n  2  invalid input, mixed providers on one object, or --strict with anything not mapped",
);

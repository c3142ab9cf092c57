//! A table of invalid specs: each must fail with an error at the expected line whose
//! message contains the expected fragment (what was wrong and how to fix it).

mod common;

use lbgen::diag::Severity;

/// Lines 1-8 of a valid Service spec; a case's extra lines start at line 9.
fn svc(extra: &str) -> String {
    format!(
        "apiVersion: lbgen.dev/v1alpha1\nkind: LoadBalancer\nmetadata: {{name: shop}}\nspec:\n  provider: huawei\n  exposure: service\n  selector: {{app: web}}\n  ports: [{{port: 80}}]\n{extra}"
    )
}

/// Lines 1-6 of an Ingress spec; a case's lines start at line 7.
fn ing(extra: &str) -> String {
    format!(
        "apiVersion: lbgen.dev/v1alpha1\nkind: LoadBalancer\nmetadata: {{name: shop}}\nspec:\n  provider: huawei\n  exposure: ingress\n{extra}"
    )
}

/// Lines 1-4 of any spec; a case's spec fields start at line 5.
fn raw(spec: &str) -> String {
    format!(
        "apiVersion: lbgen.dev/v1alpha1\nkind: LoadBalancer\nmetadata: {{name: shop}}\nspec:\n{spec}"
    )
}

/// Lines 1-8 of an Alibaba Service spec; a case's extra lines start at line 9.
fn asvc(extra: &str) -> String {
    svc(extra).replace("provider: huawei", "provider: alibaba")
}

/// Lines 1-7 of an Alibaba Ingress on the platform's ALB; a case's lines start at line 8.
fn aing(extra: &str) -> String {
    ing(&format!("  loadBalancer: {{ingressClass: alb}}\n{extra}"))
        .replace("provider: huawei", "provider: alibaba")
}

/// An Alibaba Ingress with its own load-balancer block at line 7; routes follow.
fn aing_lb(lb: &str, extra: &str) -> String {
    ing(&format!("{lb}{extra}")).replace("provider: huawei", "provider: alibaba")
}

const ROUTE: &str = "  routes: [{path: /, backends: [{service: web, port: 80}]}]\n";

/// Lines 1-9 of a valid public Tencent Service spec; a case's lines start at line 10.
fn tsvc(extra: &str) -> String {
    format!(
        "apiVersion: lbgen.dev/v1alpha1\nkind: LoadBalancer\nmetadata: {{name: shop}}\nspec:\n  provider: tencent\n  exposure: service\n  network: public\n  selector: {{app: web}}\n  ports: [{{port: 80}}]\n{extra}"
    )
}

/// Lines 1-7 of a public Tencent Ingress spec; a case's lines start at line 8.
fn ting(extra: &str) -> String {
    format!(
        "apiVersion: lbgen.dev/v1alpha1\nkind: LoadBalancer\nmetadata: {{name: shop}}\nspec:\n  provider: tencent\n  exposure: ingress\n  network: public\n{extra}"
    )
}

/// An internal Tencent Service (lines 1-9); a case's lines start at line 10.
const TINTERNAL: &str = "  provider: tencent\n  exposure: service\n  network: internal\n  selector: {app: web}\n  ports: [{port: 80}]\n";

fn cases() -> Vec<(&'static str, String, usize, &'static str)> {
    vec![
        // --- the format: types, enums, names, ports, durations ---------------------------
        ("unknown field", svc("  algoritm: round-robin\n"), 9, "unknown field `algoritm`"),
        ("unknown enum", svc("  algorithm: fastest\n"), 9, "`round-robin`, `least-connections`, `source-ip`"),
        ("bad exposure", raw("  provider: huawei\n  exposure: gateway\n"), 6, "expected one of `service`, `ingress`"),
        ("bad provider", raw("  provider: aws\n  exposure: service\n"), 5, "`huawei`, `alibaba`, `tencent`"),
        ("bad network", svc("  network: private\n"), 9, "`internal`, `public`"),
        ("bad targets", svc("  targets: vms\n"), 9, "`nodes`, `pods`"),
        ("bad traffic policy", svc("  trafficPolicy: Local\n"), 9, "`cluster`, `local`"),
        ("bad protocol", raw("  provider: huawei\n  exposure: service\n  selector: {app: web}\n  ports: [{port: 80, protocol: tcp}]\n"), 8, "`TCP`, `UDP`, `HTTP`, `HTTPS`"),
        ("port zero", raw("  provider: huawei\n  exposure: service\n  selector: {app: web}\n  ports: [{port: 0}]\n"), 8, "port 0 is out of range"),
        ("port too big", raw("  provider: huawei\n  exposure: service\n  selector: {app: web}\n  ports: [{port: 70000}]\n"), 8, "expected 1 to 65535"),
        ("quoted port", raw("  provider: huawei\n  exposure: service\n  selector: {app: web}\n  ports: [{port: \"80\"}]\n"), 8, "remove the quotes"),
        ("bad target port name", raw("  provider: huawei\n  exposure: service\n  selector: {app: web}\n  ports: [{port: 80, targetPort: Web_Port}]\n"), 8, "neither a port number"),
        ("bad name", "apiVersion: lbgen.dev/v1alpha1\nkind: LoadBalancer\nmetadata:\n  name: My_Shop\nspec: {provider: huawei, exposure: service}\n".into(), 4, "e.g. `my-shop`"),
        ("name too long", format!("apiVersion: lbgen.dev/v1alpha1\nkind: LoadBalancer\nmetadata:\n  name: {}\nspec: {{provider: huawei, exposure: service}}\n", "a".repeat(64)), 4, "1 to 63"),
        ("bad namespace", "apiVersion: lbgen.dev/v1alpha1\nkind: LoadBalancer\nmetadata:\n  name: shop\n  namespace: Web\nspec: {provider: huawei, exposure: service}\n".into(), 5, "not a valid namespace"),
        ("missing name", "apiVersion: lbgen.dev/v1alpha1\nkind: LoadBalancer\nmetadata: {labels: {a: b}}\nspec: {provider: huawei, exposure: service}\n".into(), 3, "missing required field `name`"),
        ("missing spec", "apiVersion: lbgen.dev/v1alpha1\nkind: LoadBalancer\nmetadata: {name: shop}\n".into(), 1, "missing required field `spec`"),
        ("missing exposure", raw("  provider: huawei\n"), 5, "missing required field `exposure`"),
        ("bad duration unit", svc("  stickiness: {mode: source-ip, timeout: 30min}\n"), 9, "not a duration"),
        ("duration without unit", svc("  stickiness: {mode: source-ip, timeout: 30}\n"), 9, "unit s, m or h"),
        ("bad stickiness mode", svc("  stickiness: {mode: header}\n"), 9, "`source-ip`, `cookie`"),
        ("weight over 100", ing("  routes: [{path: /, backends: [{service: web, port: 80, weight: 120}]}]\n"), 7, "weight 120 is out of range"),
        ("bool as string", svc("  passThrough: \"true\"\n"), 9, "expected true or false"),
        ("bool as yes", svc("  ipTargets: yes\n"), 9, "expected true or false"),
        ("list expected", svc("  backends: {serverGroup: x}\n"), 9, "expected a list"),
        ("mapping expected", svc("  healthCheck: on\n"), 9, "expected a mapping"),
        ("bad cluster version", svc("  cluster: {version: 1.28-latest}\n"), 9, "not a cluster version"),
        ("bad flavor", svc("  huawei: {clusterFlavor: turbo2}\n"), 9, "`standard`, `turbo`"),
        ("bad match", ing("  routes: [{path: /, match: glob, backends: [{service: web, port: 80}]}]\n"), 7, "`prefix`, `exact`, `regex`"),
        ("bad workload kind", svc("  workload: {kind: Pod, name: web}\n"), 9, "`Deployment`, `StatefulSet`, `DaemonSet`"),
        ("unknown field in create", svc("  loadBalancer:\n    create: {flavour: x}\n"), 10, "unknown field `flavour`"),
        ("unknown health field", svc("  healthCheck:\n    intervall: 5s\n"), 10, "unknown field `intervall`"),
        ("wrong api version", "apiVersion: lbgen.dev/v1\nkind: LoadBalancer\nmetadata: {name: shop}\nspec: {provider: huawei, exposure: service}\n".into(), 1, "expected `lbgen.dev/v1alpha1`"),
        ("wrong kind", "apiVersion: lbgen.dev/v1alpha1\nkind: Balancer\nmetadata: {name: shop}\nspec: {}\n".into(), 2, "expected `LoadBalancer`"),
        ("not an object", "- a\n- b\n".into(), 1, "expected a Kubernetes object"),
        ("yaml syntax", "apiVersion: lbgen.dev/v1alpha1\nkind: LoadBalancer\nmetadata: {name: shop\n".into(), 3, "invalid YAML"),
        ("duplicate key", svc("  selector: {app: other}\n"), 9, "duplicate key `selector`"),
        ("no provider", raw("  exposure: service\n  selector: {app: web}\n  ports: [{port: 80}]\n"), 4, "no provider"),
        // --- provider-neutral rules (policies/common.yaml) --------------------------------
        ("service without selector", raw("  provider: huawei\n  exposure: service\n  ports: [{port: 80}]\n"), 4, "needs spec.selector"),
        ("service without ports", raw("  provider: huawei\n  exposure: service\n  selector: {app: web}\n"), 4, "at least one entry in spec.ports"),
        ("service with routes", svc(ROUTE), 9, "spec.routes is for exposure: ingress"),
        ("ingress without routes", ing(""), 4, "at least one entry in spec.routes"),
        ("ingress with ports", ing(&format!("{ROUTE}  ports: [{{port: 80}}]\n")), 8, "spec.ports is for exposure: service"),
        ("ingress with selector", ing(&format!("{ROUTE}  selector: {{app: web}}\n")), 8, "spec.selector is for exposure: service"),
        ("id and create", svc("  loadBalancer:\n    id: abc\n    create: {name: x}\n"), 11, "either id"),
        ("https without certificate", raw("  provider: huawei\n  exposure: service\n  selector: {app: web}\n  ports:\n    - port: 443\n      protocol: HTTPS\n"), 10, "needs certificateId"),
        ("certificate on tcp", raw("  provider: huawei\n  exposure: service\n  selector: {app: web}\n  ports:\n    - port: 443\n      certificateId: abc\n"), 10, "only used by HTTPS and TLS ports"),
        ("duplicate port names", raw("  provider: huawei\n  exposure: service\n  selector: {app: web}\n  ports:\n    - {name: web, port: 80}\n    - {name: web, port: 81}\n"), 9, "is used twice"),
        ("duplicate ports", raw("  provider: huawei\n  exposure: service\n  selector: {app: web}\n  ports:\n    - {name: a, port: 80}\n    - {name: b, port: 80}\n"), 9, "listed twice"),
        ("bad port name", raw("  provider: huawei\n  exposure: service\n  selector: {app: web}\n  ports:\n    - {name: Web_1, port: 80}\n"), 9, "DNS-1123 label"),
        ("backend both kinds", ing("  routes:\n    - path: /\n      backends:\n        - {service: web, port: 80, serverGroup: sg-1}\n"), 10, "set exactly one"),
        ("backend neither kind", ing("  routes:\n    - path: /\n      backends:\n        - {port: 80}\n"), 10, "set exactly one"),
        ("service backend without port", ing("  routes:\n    - path: /\n      backends:\n        - {service: web}\n"), 10, "needs port"),
        ("route without backends", ing("  routes:\n    - path: /\n"), 8, "at least one backend"),
        ("route fully drained", ing("  routes:\n    - path: /\n      backends:\n        - {service: web, port: 80, weight: 0}\n"), 9, "weight 0"),
        ("relative path", ing("  routes:\n    - path: tea\n      backends: [{service: web, port: 80}]\n"), 8, "must start with '/'"),
        ("health path on tcp", svc("  healthCheck:\n    protocol: TCP\n    path: /healthz\n"), 11, "only used by HTTP health checks"),
        ("label value with spaces", "apiVersion: lbgen.dev/v1alpha1\nkind: LoadBalancer\nmetadata:\n  name: shop\n  labels: {team: store front}\nspec: {provider: huawei, exposure: service, selector: {a: b}, ports: [{port: 80}]}\n".into(), 5, "label values"),
        // --- Huawei rules (policies/huawei.yaml) -----------------------------------------------
        ("timeout not whole minutes", svc("  stickiness: {mode: source-ip, timeout: 90s}\n"), 9, "whole minutes"),
        ("timeout over 60 minutes", svc("  stickiness: {mode: source-ip, timeout: 2h}\n"), 9, "1 to 60 minutes"),
        ("health interval too long", svc("  healthCheck:\n    interval: 60s\n"), 10, "1 to 50 seconds"),
        ("health timeout zero", svc("  healthCheck:\n    timeout: 0s\n"), 10, "health-check timeout of 1 to 50"),
        ("health retries", svc("  healthCheck:\n    retries: 11\n"), 10, "1 to 10 health-check retries"),
        ("health path too long", svc(&format!("  healthCheck:\n    protocol: HTTP\n    path: /{}\n", "a".repeat(80))), 11, "1 to 80 characters"),
        ("ip targets on shared", svc("  ipTargets: true\n"), 9, "only with dedicated LBs"),
        ("ip targets old cluster", svc("  cluster: {version: v1.28.15-r10}\n  loadBalancer: {id: x, tier: dedicated}\n  ipTargets: true\n"), 11, "v1.28.15-r20"),
        ("ip targets on v1.26", svc("  cluster: {version: v1.26.9-r50}\n  loadBalancer: {id: x, tier: dedicated}\n  ipTargets: true\n"), 11, "v1.26 has no supported patch"),
        ("dedicated on v1.15", svc("  cluster: {version: v1.15.6-r1}\n  loadBalancer:\n    id: x\n    tier: dedicated\n"), 12, "v1.17 or later"),
        ("http service on v1.19.15", raw("  provider: huawei\n  exposure: service\n  cluster: {version: v1.19.15-r0}\n  selector: {app: web}\n  ports:\n    - port: 80\n      protocol: HTTP\n"), 11, "v1.19.16 or later"),
        ("pass-through on v1.15", svc("  cluster: {version: v1.15.11-r1}\n  passThrough: true\n"), 10, "v1.15 or earlier"),
        ("turbo with local", svc("  huawei: {clusterFlavor: turbo}\n  trafficPolicy: local\n"), 10, "only cluster-level"),
        ("two certificates", raw("  provider: huawei\n  exposure: service\n  selector: {app: web}\n  ports:\n    - {port: 443, protocol: HTTPS, certificateId: 17e3b4f4bc40471c86741dc3aa211379}\n    - {port: 8443, protocol: HTTPS, certificateId: b64ab636f1614e1a960b5249c497a880}\n"), 9, "same certificateId"),
        ("comma in a certificate id", raw("  provider: huawei\n  exposure: service\n  selector: {app: web}\n  ports:\n    - {port: 443, protocol: HTTPS, certificateId: \"17e3b4f4bc40471c86741dc3aa211379,b64ab636f1614e1a960b5249c497a880\"}\n"), 9, "32 lowercase hex digits"),
        ("comma in an ingress certificate id", ing("  routes:\n    - path: /\n      tls: {certificateId: \"058cc023690d48a3867ad69dbe9cd6e5,b98382b1f01c473286653afd1ed9ab63\"}\n      backends: [{service: web, port: 80}]\n"), 9, "comma-separated list"),
        ("ingress certificate on v1.21.4", ing("  cluster: {version: v1.21.4-r0}\n  routes:\n    - path: /\n      tls: {certificateId: 058cc023690d48a3867ad69dbe9cd6e5}\n      backends: [{service: web, port: 80}]\n"), 10, "v1.19.16-r2, v1.21.5-r0, v1.23.3-r0"),
        ("http check on a udp port", raw("  provider: huawei\n  exposure: service\n  selector: {app: dns}\n  ports: [{port: 53, protocol: UDP}]\n  healthCheck:\n    protocol: HTTP\n"), 10, "UDP port with a UDP check"),
        ("dedicated create without zones", svc("  loadBalancer:\n    tier: dedicated\n    create: {l4Flavor: L4_flavor.elb.s1.small}\n"), 11, "needs create.zones"),
        ("dedicated create without l4", svc("  loadBalancer:\n    tier: dedicated\n    create: {zones: [a]}\n"), 11, "needs create.l4Flavor"),
        ("dedicated http without l7", raw("  provider: huawei\n  exposure: service\n  selector: {app: web}\n  ports: [{port: 80, protocol: HTTP}]\n  loadBalancer:\n    tier: dedicated\n    create: {zones: [a], l4Flavor: b}\n"), 11, "needs create.l7Flavor"),
        ("zones on shared", svc("  loadBalancer:\n    create: {zones: [a]}\n"), 10, "apply only to dedicated"),
        ("public without bandwidth", svc("  network: public\n  loadBalancer:\n    create: {eipType: 5_bgp}\n"), 11, "needs create.bandwidth"),
        ("public without eip", svc("  network: public\n  loadBalancer:\n    create:\n      bandwidth: {name: bw, size: 5, shareType: PER}\n"), 11, "needs create.eipType"),
        ("bad lb name", svc("  loadBalancer:\n    create: {name: shop lb}\n"), 10, "letters, digits, '_', '-' and '.'"),
        ("bandwidth too big", svc("  loadBalancer:\n    create:\n      bandwidth: {size: 5000}\n"), 11, "1 to 2000 Mbit/s"),
        ("share type", svc("  loadBalancer:\n    create:\n      bandwidth: {shareType: WHOLE}\n"), 11, "shareType: PER"),
        ("cookie on tcp", svc("  stickiness: {mode: cookie}\n"), 9, "nearest"),
        ("cookie on tcp names source-ip", svc("  stickiness: {mode: cookie}\n"), 9, "use stickiness.mode: source-ip"),
        ("source-ip stickiness with source-ip", svc("  algorithm: source-ip\n  stickiness: {mode: source-ip}\n"), 10, "does not combine"),
        ("service server group", svc("  backends: [{serverGroup: sg-1, port: 80, weight: 50}]\n"), 9, "kubernetes.io/elb.multicluster"),
        ("ingress source-ip stickiness", ing(&format!("{ROUTE}  stickiness: {{mode: source-ip}}\n")), 8, "use stickiness.mode: cookie"),
        ("weighted ingress on shared", ing("  routes:\n    - path: /\n      backends:\n        - {service: a, port: 80, weight: 50}\n        - {service: b, port: 80, weight: 50}\n"), 9, "only on a dedicated LB"),
        ("weighted ingress old cluster", ing("  cluster: {version: v1.28.15-r9}\n  loadBalancer: {id: x, tier: dedicated}\n  routes:\n    - path: /\n      backends:\n        - {service: a, port: 80, weight: 50}\n        - {service: b, port: 80, weight: 50}\n"), 11, "v1.28.15-r10"),
        ("six backends", ing(&format!("  loadBalancer: {{id: x, tier: dedicated}}\n  routes:\n    - path: /\n      backends:\n{}", (1..=6).map(|i| format!("        - {{service: s{i}, port: 80}}\n")).collect::<String>())), 10, "at most 5 backends"),
        ("forward named port", ing("  loadBalancer: {id: x, tier: dedicated}\n  routes:\n    - path: /\n      backends:\n        - {service: a, port: http, weight: 50}\n        - {service: b, port: 80, weight: 50}\n"), 11, "by number"),
        ("duplicate forward backend", ing("  loadBalancer: {id: x, tier: dedicated}\n  routes:\n    - path: /\n      backends:\n        - {service: a, port: 80}\n        - {service: a, port: 80}\n"), 11, "listed twice"),
        ("two listener ports", ing("  routes:\n    - {path: /a, port: 80, backends: [{service: a, port: 80}]}\n    - {path: /b, port: 8080, backends: [{service: b, port: 80}]}\n"), 9, "one listener port"),
        ("ingress pass-through", ing(&format!("{ROUTE}  passThrough: true\n")), 8, "no pass-through setting for Ingresses"),
        ("ingress on v1.18", ing(&format!("  cluster: {{version: v1.18.10-r0}}\n{ROUTE}")), 7, "v1.19 or later"),
        ("pod targets on standard", svc("  targets: pods\n"), 9, "CCE Turbo cluster"),
        ("controller annotation", "apiVersion: lbgen.dev/v1alpha1\nkind: LoadBalancer\nmetadata:\n  name: shop\n  annotations: {kubernetes.io/elb.mark: \"0\"}\nspec: {provider: huawei, exposure: service, selector: {a: b}, ports: [{port: 80}]}\n".into(), 5, "written by CCE itself"),
        ("annotation lbgen sets", "apiVersion: lbgen.dev/v1alpha1\nkind: LoadBalancer\nmetadata:\n  name: shop\n  annotations:\n    kubernetes.io/elb.lb-algorithm: SOURCE_IP\nspec: {provider: huawei, exposure: service, selector: {a: b}, ports: [{port: 80}]}\n".into(), 6, "set by lbgen from the spec"),
        ("health port on old cluster", svc("  cluster: {version: v1.21.7-r0}\n  healthCheck:\n    port: 8081\n"), 11, "v1.21.8-r0"),
        // --- Alibaba rules (policies/alibaba.yaml) ---------------------------------------------
        ("ali ip targets", asvc("  ipTargets: true\n"), 9, "CLB and ALB have no IP-target mode"),
        ("ali stickiness without timeout", asvc("  stickiness: {mode: source-ip}\n"), 9, "needs stickiness.timeout"),
        ("ali persistence over an hour", asvc("  stickiness: {mode: source-ip, timeout: 2h}\n"), 9, "1 to 3600 seconds"),
        ("ali cookie over a day", asvc("  stickiness: {mode: cookie, timeout: 48h}\n").replace("ports: [{port: 80}]", "ports: [{port: 80, protocol: HTTP}]"), 9, "1 to 86400 seconds"),
        ("ali health interval", asvc("  healthCheck:\n    interval: 60s\n"), 10, "interval is 1 to 50 seconds"),
        ("ali health timeout", asvc("  healthCheck:\n    timeout: 400s\n"), 10, "timeout is 1 to 300 seconds"),
        ("ali health retries", asvc("  healthCheck:\n    retries: 1\n"), 10, "2 to 10"),
        ("ali health path", asvc("  healthCheck:\n    protocol: HTTP\n    path: healthz\n"), 11, "start with '/'"),
        ("ali udp health", asvc("  healthCheck:\n    protocol: UDP\n"), 10, "checks UDP ports only"),
        ("ali local needs wrr", asvc("  trafficPolicy: local\n  algorithm: least-connections\n"), 10, "needs the wrr scheduler"),
        ("ali persistence on http", asvc("  stickiness: {mode: source-ip, timeout: 10m}\n").replace("ports: [{port: 80}]", "ports: [{port: 80, protocol: HTTP}]"), 9, "applies to TCP listeners only"),
        ("ali cookie on tcp", asvc("  stickiness: {mode: cookie, timeout: 10m}\n"), 9, "HTTP/HTTPS ports only"),
        ("ali sch on http", asvc("  algorithm: source-ip\n").replace("ports: [{port: 80}]", "ports: [{port: 80, protocol: HTTP}]"), 9, "sch (source-IP hash)"),
        ("ali two certificates", raw("  provider: alibaba\n  exposure: service\n  selector: {app: web}\n  ports:\n    - {port: 443, protocol: HTTPS, certificateId: a}\n    - {port: 8443, protocol: HTTPS, certificateId: b}\n"), 9, "one certificate"),
        ("ali vgroup without lb", asvc("  backends: [{serverGroup: rsp-1, port: 80, weight: 50}]\n"), 9, "needs an existing CLB"),
        ("ali two vgroup weights", asvc("  loadBalancer: {id: lb-1}\n  backends:\n    - {serverGroup: rsp-1, port: 80, weight: 50}\n    - {serverGroup: rsp-2, port: 80, weight: 20}\n"), 11, "same explicit weight"),
        ("ali vgroup without port", asvc("  loadBalancer: {id: lb-1}\n  backends:\n    - {serverGroup: rsp-1, weight: 50}\n"), 11, "needs the Service port number"),
        ("ali service as extra backend", asvc("  loadBalancer: {id: lb-1}\n  backends:\n    - {service: other, port: 80, weight: 50}\n"), 11, "are vServer groups"),
        ("ali pass-through without hostname", asvc("  passThrough: true\n"), 9, "set spec.loadBalancer.hostname"),
        ("ali clb name", asvc("  loadBalancer:\n    create: {name: x}\n"), 10, "2 to 128 characters"),
        ("ali nlb on ingress", aing_lb("  alibaba: {loadBalancerType: nlb}\n  loadBalancer: {ingressClass: alb}\n", ROUTE), 7, "an Ingress always uses ALB"),
        ("ali nlb one zone", asvc("  alibaba: {loadBalancerType: nlb}\n  loadBalancer:\n    create: {zones: [a], subnetIds: [v]}\n"), 11, "at least two zones"),
        ("ali nlb http", raw("  provider: alibaba\n  exposure: service\n  selector: {app: web}\n  alibaba: {loadBalancerType: nlb}\n  loadBalancer: {id: nlb-1}\n  ports:\n    - {port: 80, protocol: HTTP}\n"), 11, "layer-4 load balancer"),
        ("ali nlb udp health", asvc("  alibaba: {loadBalancerType: nlb}\n  loadBalancer: {id: nlb-1}\n  healthCheck: {protocol: UDP}\n"), 11, "checks UDP ports only"),
        ("ali nlb stickiness", asvc("  alibaba: {loadBalancerType: nlb}\n  loadBalancer: {id: nlb-1}\n  stickiness: {mode: source-ip, timeout: 10m}\n"), 9, "nearest: alibaba.loadBalancerType: clb"),
        ("ali zone with a delimiter", asvc("  alibaba: {loadBalancerType: nlb}\n  loadBalancer:\n    create: {zones: ['cn-hangzhou-k:vsw-x,cn-hangzhou-j', cn-hangzhou-j], subnetIds: [vsw-i123456, vsw-j654321]}\n"), 11, "no ',' or ':'"),
        ("ali alb source-ip stickiness", aing(&format!("{ROUTE}  stickiness: {{mode: source-ip, timeout: 10m}}\n")), 9, "no timed source-IP stickiness"),
        ("ali six groups", aing("  routes:\n    - path: /\n      backends: [{service: a, port: 80}, {service: b, port: 80}, {service: c, port: 80}, {service: d, port: 80}, {service: e, port: 80}, {service: f, port: 80}]\n"), 10, "at most five server groups"),
        ("ali basic edition", aing_lb("  loadBalancer:\n    create: {l7Flavor: Basic, subnetIds: [a, b]}\n", "  routes:\n    - {path: /a, backends: [{service: a, port: 80, weight: 50}, {service: b, port: 80, weight: 50}]}\n    - {path: /b, backends: [{service: c, port: 80, weight: 50}, {service: d, port: 80, weight: 50}]}\n    - {path: /c, backends: [{service: e, port: 80, weight: 50}, {service: f, port: 80, weight: 50}]}\n"), 8, "basic ALB instance"),
        ("ali unknown edition", aing_lb("  loadBalancer:\n    create: {l7Flavor: Premium, subnetIds: [a, b]}\n", ROUTE), 8, "Basic, Standard or StandardWithWaf"),
        ("ali one vswitch", aing_lb("  loadBalancer:\n    create: {subnetIds: [a]}\n", ROUTE), 8, "at least two zones"),
        ("ali named port in forward group", aing("  routes:\n    - path: /\n      backends:\n        - {service: a, port: http, weight: 80}\n        - {service: b, port: 80, weight: 20}\n"), 11, "by number"),
        ("ali backend named forward", aing("  routes:\n    - path: /\n      backends:\n        - {service: forward, port: 80}\n"), 11, "rename the Service"),
        ("ali traffic policy on ingress", aing(&format!("{ROUTE}  trafficPolicy: local\n")), 9, "backend Services of an ALB Ingress"),
        // --- Tencent rules (policies/tencent.yaml) ----------------------------------------------
        ("tencent session of 10s", tsvc("  stickiness: {mode: source-ip, timeout: 10s}\n"), 10, "30 seconds to 1 hour"),
        ("tencent cookie on a service", tsvc("  stickiness: {mode: cookie}\n"), 10, "nearest: exposure: ingress"),
        ("tencent source-ip session on an ingress", ting(&format!("{ROUTE}  stickiness: {{mode: source-ip}}\n")), 9, "nearest: stickiness.mode: cookie"),
        ("tencent source-ip algorithm on a service", tsvc("  algorithm: source-ip\n"), 10, "nearest: stickiness: {mode: source-ip}"),
        ("tencent health interval", tsvc("  healthCheck:\n    interval: 400s\n"), 11, "5 to 300 seconds"),
        ("tencent health timeout", tsvc("  healthCheck:\n    interval: 10s\n    timeout: 1s\n"), 12, "2 to 60 seconds"),
        ("tencent health timeout over default interval", tsvc("  healthCheck:\n    timeout: 6s\n"), 11, "shorter than the interval"),
        ("tencent health retries", tsvc("  healthCheck:\n    retries: 11\n"), 11, "2 to 10 health-check retries"),
        ("tencent health path", ting(&format!("{ROUTE}  healthCheck:\n    protocol: HTTP\n    path: /{}\n", "a".repeat(200))), 11, "1 to 200 characters"),
        ("tencent udp health check", tsvc("  healthCheck:\n    protocol: UDP\n"), 11, "no UDP health-check type"),
        ("tencent ingress health port", ting(&format!("{ROUTE}  healthCheck:\n    port: 8081\n")), 10, "no port of its own"),
        ("tencent ingress tcp health", ting(&format!("{ROUTE}  healthCheck:\n    protocol: TCP\n")), 10, "over HTTP"),
        ("tencent long host", ting(&format!("  routes:\n    - host: {}.{}\n      backends: [{{service: web, port: 80}}]\n", "a".repeat(40), "b".repeat(40))), 9, "1 to 80 characters"),
        ("tencent listener port", ting("  routes:\n    - path: /\n      port: 8080\n      backends: [{service: web, port: 80}]\n"), 10, "HTTP on 80 and HTTPS on 443"),
        ("tencent certificate id of shell syntax", ting("  routes:\n    - {host: a.example.com, path: /, tls: {certificateId: \"x;touch /tmp/pwned;#\"}, backends: [{service: a, port: 80}]}\n    - {host: b.example.com, path: /, backends: [{service: b, port: 80}]}\n"), 9, "8 letters and digits"),
        ("tencent regex", ting("  routes:\n    - path: /a\n      match: regex\n      backends: [{service: web, port: 80}]\n"), 10, "nearest: match: prefix"),
        ("tencent exact on v1.18", ting("  cluster: {version: v1.18.4}\n  routes:\n    - path: /a\n      match: exact\n      backends: [{service: web, port: 80}]\n"), 11, "v1beta1 Ingress of older clusters"),
        ("tencent ingress on v1.13", ting(&format!("  cluster: {{version: v1.13.10}}\n{ROUTE}")), 8, "v1.14 or later"),
        ("tencent weighted split", ting("  routes:\n    - path: /\n      backends:\n        - {service: a, port: 80, weight: 80}\n        - {service: b, port: 80, weight: 20}\n"), 10, "ingress.cloud.tencent.com/custom-weight"),
        ("tencent route server group", ting("  routes:\n    - path: /\n      backends:\n        - {serverGroup: sg-1, port: 80}\n"), 11, "service.cloud.tencent.com/cross-vpc-id"),
        ("tencent service server group", tsvc("  backends: [{serverGroup: sg-1, port: 80}]\n"), 10, "cross-region-id"),
        ("tencent ingress traffic policy", ting(&format!("{ROUTE}  trafficPolicy: local\n")), 9, "belongs to the backend Services"),
        ("tencent tier", tsvc("  loadBalancer:\n    id: lb-6c8w2k1a\n    tier: dedicated\n"), 12, "no shared/dedicated tier"),
        // --- health-check success codes, method and host ---------------------------------
        ("bad success code", asvc("  healthCheck:\n    protocol: HTTP\n    successCodes: [http_2xx]\n"), 11, "`2xx`, `3xx`, `4xx`, `5xx`"),
        ("bad health method", asvc("  healthCheck:\n    protocol: HTTP\n    method: POST\n"), 11, "`GET`, `HEAD`"),
        ("empty success codes", asvc("  healthCheck:\n    protocol: HTTP\n    successCodes: []\n"), 11, "at least one status class"),
        ("success codes on tcp", asvc("  healthCheck:\n    protocol: TCP\n    successCodes: [2xx]\n"), 11, "only used by HTTP health checks"),
        ("health method without protocol", asvc("  healthCheck:\n    method: GET\n"), 10, "set healthCheck.protocol: HTTP"),
        ("health host with port", asvc("  healthCheck:\n    protocol: HTTP\n    host: health.example.com:8080\n"), 11, "lowercase DNS name"),
        ("ali health host too long", asvc("  healthCheck:\n    protocol: HTTP\n    host: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\n"), 11, "1 to 80 characters"),
        ("alb health host", aing(&format!("{ROUTE}  healthCheck:\n    protocol: HTTP\n    host: health.example.com\n")), 11, "documents no health-check host"),
        ("huawei success codes", svc("  healthCheck:\n    protocol: HTTP\n    successCodes: [2xx]\n"), 11, "no success-code field"),
        ("huawei health method", svc("  healthCheck:\n    protocol: HTTP\n    method: GET\n"), 11, "no HTTP-method field"),
        ("huawei health host", svc("  healthCheck:\n    protocol: HTTP\n    host: health.example.com\n"), 11, "no domain (Host) field"),
        ("tencent health host too long", ting(&format!("{ROUTE}  healthCheck:\n    protocol: HTTP\n    host: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\n")), 11, "1 to 80 characters"),
        // --- a port's own health check ----------------------------------------------------
        ("port health interval", raw("  provider: huawei\n  exposure: service\n  selector: {app: web}\n  ports:\n    - port: 80\n      healthCheck:\n        interval: 60s\n"), 11, "1 to 50 seconds"),
        ("port health inherits a bad timeout", raw("  provider: huawei\n  exposure: service\n  selector: {app: web}\n  healthCheck: {timeout: 60s}\n  ports:\n    - port: 80\n      healthCheck:\n        interval: 5s\n"), 8, "health-check timeout of 1 to 50"),
        ("port health path on tcp", raw("  provider: huawei\n  exposure: service\n  selector: {app: web}\n  healthCheck: {protocol: TCP}\n  ports:\n    - port: 80\n      healthCheck:\n        path: /healthz\n"), 12, "only used by HTTP health checks"),
        ("port health switched off on cce", raw("  provider: huawei\n  exposure: service\n  selector: {app: web}\n  ports:\n    - port: 80\n      healthCheck:\n        enabled: false\n"), 11, "one health-check switch"),
        ("port health on an old cce", raw("  provider: huawei\n  cluster: {version: v1.21.7-r0}\n  exposure: service\n  selector: {app: web}\n  ports:\n    - port: 80\n      healthCheck:\n        protocol: TCP\n"), 11, "v1.21.8-r0"),
        ("ali port health", raw("  provider: alibaba\n  exposure: service\n  selector: {app: web}\n  ports:\n    - port: 80\n      healthCheck:\n        protocol: TCP\n"), 10, "one set of health-check annotations"),
        // --- connection draining ----------------------------------------------------------
        ("bad draining timeout", asvc("  draining: {timeout: 30 seconds}\n"), 9, "is not a duration"),
        ("unknown draining field", asvc("  draining: {delay: 30s}\n"), 9, "unknown field `delay`"),
        ("ali draining too long", asvc("  draining:\n    timeout: 20m\n"), 10, "10 to 900 seconds"),
        ("huawei draining", svc("  draining: {timeout: 30s}\n"), 9, "no connection-draining annotation"),
        ("tencent draining timeout", tsvc("  targets: pods\n  draining:\n    timeout: 30s\n"), 12, "no timeout of its own"),
        // --- slow start ---------------------------------------------------------------------
        ("slow start without duration", asvc("  slowStart: {}\n"), 9, "missing required field `duration`"),
        ("huawei slow start on a service", svc("  slowStart: {duration: 30s}\n"), 9, "LoadBalancer Ingresses only"),
        ("huawei slow start too long", ing(&format!("  loadBalancer: {{id: lb-1, tier: dedicated}}\n{ROUTE}  slowStart:\n    duration: 30m\n")), 10, "30 to 1200 seconds"),
        ("tencent slow start", tsvc("  slowStart: {duration: 30s}\n"), 10, "no slow-start annotation"),
        ("tencent ip targets", tsvc("  ipTargets: true\n"), 10, "nearest: targets: pods"),
        ("tencent internal without subnet", raw(TINTERNAL), 7, "an internal CLB needs a subnet"),
        ("tencent public with subnet", tsvc("  loadBalancer:\n    create:\n      subnetId: subnet-3xk9d2qp\n"), 12, "a public CLB takes no subnet"),
        ("tencent internal bandwidth", raw(&format!("{TINTERNAL}  loadBalancer:\n    create:\n      subnetId: subnet-3xk9d2qp\n      bandwidth: {{size: 10}}\n")), 13, "public CLBs only"),
        ("tencent bandwidth size", tsvc("  loadBalancer:\n    create:\n      bandwidth: {size: 3000}\n"), 12, "1 to 2048 Mbps"),
        ("tencent huawei create fields", tsvc("  loadBalancer:\n    create: {eipType: 5_bgp}\n"), 11, "Huawei ELB parameters"),
        ("tencent two zones", tsvc("  loadBalancer:\n    create:\n      zones: [ap-guangzhou-3, ap-guangzhou-4]\n"), 12, "list one zone"),
        ("tencent long lb name", tsvc(&format!("  loadBalancer:\n    create:\n      name: {}\n", "n".repeat(61))), 12, "1 to 60 characters"),
        ("tencent lb id", tsvc("  loadBalancer: {id: 5083f225-9bf8}\n"), 10, "looks like lb-6c8w2k1a"),
        ("tencent subnet id", raw(&format!("{TINTERNAL}  loadBalancer:\n    create:\n      subnetId: 0b4f2e7d\n")), 12, "looks like subnet-"),
        ("tencent direct access on v1.10", tsvc("  cluster: {version: v1.10.5}\n  targets: pods\n"), 11, "v1.12 or later"),
        ("tencent tcp and udp", raw("  provider: tencent\n  exposure: service\n  network: public\n  selector: {app: web}\n  ports: [{port: 80}, {port: 53, protocol: UDP}]\n"), 9, "only one transport"),
        ("tencent controller annotation", "apiVersion: lbgen.dev/v1alpha1\nkind: LoadBalancer\nmetadata:\n  name: shop\n  annotations: {service.kubernetes.io/loadbalance-id: lb-1}\nspec: {provider: tencent, exposure: service, network: public, selector: {a: b}, ports: [{port: 80}]}\n".into(), 5, "written by TKE itself"),
        ("tencent auto config", "apiVersion: lbgen.dev/v1alpha1\nkind: LoadBalancer\nmetadata:\n  name: shop\n  annotations: {service.cloud.tencent.com/tke-service-config-auto: \"true\"}\nspec: {provider: tencent, exposure: service, network: public, selector: {a: b}, ports: [{port: 80}]}\n".into(), 5, "remove the -auto annotation"),
        ("tencent class annotation", "apiVersion: lbgen.dev/v1alpha1\nkind: LoadBalancer\nmetadata:\n  name: shop\n  annotations:\n    kubernetes.io/ingress.class: nginx\nspec: {provider: tencent, exposure: ingress, network: public, routes: [{path: /, backends: [{service: a, port: 80}]}]}\n".into(), 6, "lbgen writes this key itself"),
        // --- access control, fixed address, tags (issue 15) -----------------------------------
        ("bad access mode", svc("  accessControl: {mode: whitelist, aclIds: [x]}\n"), 9, "expected one of `allow`, `deny`"),
        ("access control without ids", svc("  accessControl: {mode: allow}\n"), 9, "missing required field `aclIds`"),
        ("acl id with a comma", svc("  accessControl:\n    mode: allow\n    aclIds: ['a,b']\n"), 11, "lowercase UUID"),
        ("acl on an old cce", svc("  cluster: {version: v1.23.11-r0}\n  accessControl: {mode: allow, aclIds: [5c20fdad-7288-11eb-b817-0255ac10158b]}\n"), 10, "needs CCE v1.23.12-r0"),
        ("two acls on a clb", asvc("  accessControl: {mode: deny, aclIds: [acl-a1, acl-b2]}\n"), 9, "takes one access control list"),
        ("acl on tencent", tsvc("  accessControl: {mode: deny, aclIds: [acl-a1]}\n"), 10, "nearest: security groups"),
        ("address with a prefix length", svc("  loadBalancer:\n    create: {address: 10.0.0.0/8}\n"), 10, "not an IP address"),
        ("address on a public clb", asvc("  network: public\n  loadBalancer:\n    create: {address: 192.168.0.10}\n"), 11, "only when it is internal"),
        ("ipv6 address on cce", svc("  loadBalancer:\n    create: {address: '2001:db8::10'}\n"), 10, "only an IPv4 private address"),
        ("tag key with a comma", svc("  loadBalancer:\n    tags: {'a,b': c}\n"), 10, "without ','"),
        ("tags on an existing elb", svc("  loadBalancer:\n    id: abc\n    tags: {team: shop}\n"), 11, "tags only a load balancer it creates"),
        ("tags on an existing tencent clb", tsvc("  loadBalancer:\n    id: lb-6c8w2k1a\n    tags: {team: shop}\n"), 12, "only when it creates it"),
        ("bad billing", svc("  loadBalancer:\n    create: {billing: monthly}\n"), 10, "expected one of `pay-by-usage`, `pay-by-spec`"),
        ("pay-by-usage clb with a spec", asvc("  loadBalancer:\n    create: {billing: pay-by-usage, l4Flavor: slb.s1.small}\n"), 10, "takes no specification"),
        ("billing on cce", svc("  loadBalancer:\n    create: {billing: pay-by-spec}\n"), 10, "no billing setting"),
        ("bad ip version", svc("  loadBalancer:\n    create: {ipVersion: IPv6}\n"), 10, "expected one of `ipv4`, `ipv6`, `dual-stack`"),
        ("ipv6-only elb", svc("  loadBalancer:\n    tier: dedicated\n    create: {ipVersion: ipv6}\n"), 11, "nearest: ipVersion: dual-stack"),
        ("dual-stack shared elb", svc("  huawei: {ipv6NetworkId: 7e2f4a6b-8c9d-4e0f-a1b2-c3d4e5f60718}\n  loadBalancer:\n    create: {ipVersion: dual-stack}\n"), 11, "only a dedicated ELB takes an IPv6 address"),
        ("dual-stack elb without the ipv6 subnet", svc("  loadBalancer:\n    tier: dedicated\n    create: {ipVersion: dual-stack}\n"), 11, "set spec.huawei.ipv6NetworkId"),
        ("ipv6 network id that is not a uuid", svc("  huawei: {ipv6NetworkId: 'x\", \"y'}\n  loadBalancer:\n    tier: dedicated\n    create: {ipVersion: dual-stack}\n"), 9, "Network ID of an IPv6 subnet"),
        ("dual-stack clb", asvc("  loadBalancer:\n    create: {ipVersion: dual-stack}\n"), 10, "a CLB has one IP version"),
        ("ipv6-only alb", aing_lb("  loadBalancer:\n    create: {zones: [cn-hangzhou-k, cn-hangzhou-j], subnetIds: [vsw-a1, vsw-b2], ipVersion: ipv6}\n", ROUTE), 8, "never IPv6 alone"),
        ("dual-stack tke clb", tsvc("  loadBalancer:\n    create: {ipVersion: dual-stack}\n"), 11, "a TKE CLB has one IP version"),
    ]
}

#[test]
fn every_bad_spec_fails_at_its_line_with_a_clear_message() {
    let cases = cases();
    assert!(cases.len() >= 60, "the table must hold at least 60 cases");
    let mut failures = Vec::new();
    for (name, text, line, fragment) in &cases {
        match common::compile(text) {
            Ok(_) => failures.push(format!("{name}: compiled, expected an error")),
            Err(diags) => {
                let hit = diags.iter().any(|d| {
                    d.severity == Severity::Error
                        && d.message.contains(fragment)
                        && d.location.as_ref().is_some_and(|l| {
                            l.line == *line && l.column > 0 && l.file == "spec.yaml"
                        })
                });
                if !hit {
                    failures.push(format!(
                        "{name}: no error at line {line} containing {fragment:?}; got:\n  {}",
                        diags
                            .iter()
                            .map(|d| d.to_string())
                            .collect::<Vec<_>>()
                            .join("\n  ")
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
